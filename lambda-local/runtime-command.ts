/**
 * Which runtime client runs inside each environment: AWS's own (npm aws-lambda-ric, an optional dependency that
 * builds natively) when it is installed, otherwise the small documented-protocol client shipped here.
 */

import fs from 'node:fs';
import path from 'node:path';

export interface RuntimeChoice {
  command: string[];
  name: string;
}

export function chooseRuntime(preference: 'auto' | 'aws' | 'builtin' = 'auto'): RuntimeChoice {
  const builtin = { command: [process.execPath, path.join(__dirname, 'runtime-client.cjs')], name: 'built-in runtime client' };
  if (preference === 'builtin') return builtin;
  let awsBin: string | undefined;
  try {
    awsBin = path.join(path.dirname(require.resolve('aws-lambda-ric/package.json')), 'bin', 'index.mjs');
  } catch {
    awsBin = undefined;
  }
  // The native part is what fails to build on machines without autoconf; without it the package is unusable.
  const built = awsBin && fs.existsSync(awsBin) && fs.existsSync(path.join(path.dirname(awsBin), '..', 'dist', 'rapid-client.node'));
  if (built) return { command: [process.execPath, awsBin!], name: 'aws-lambda-ric (AWS runtime interface client)' };
  if (preference === 'aws') {
    throw new Error('aws-lambda-ric is not installed (it builds natively: install autoconf, automake and libtool, then npm install)');
  }
  return builtin;
}
