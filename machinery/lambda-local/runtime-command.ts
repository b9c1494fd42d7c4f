/**
 * Which runtime client runs inside each environment: AWS's own (npm aws-lambda-ric, an optional dependency that
 * builds natively) when it is installed, otherwise the small documented-protocol client shipped here. On macOS
 * aws-lambda-ric never builds (its install script skips the native part there), so the built-in client runs.
 */

import fs from 'node:fs';
import path from 'node:path';
import { currentHost, type HostPlatform } from '../lambda-entry/host-platform';

export interface RuntimeChoice {
  command: string[];
  name: string;
}

/** Why `--runtime aws` cannot be had on this machine, with what to do instead. */
export function awsRuntimeMissing(host: HostPlatform): string {
  if (host.os === 'darwin') {
    return (
      'aws-lambda-ric does not build on macOS (its install script skips the native part there): ' +
      'use --runtime builtin (or auto, the default), which follows the same documented Runtime API'
    );
  }
  return (
    'aws-lambda-ric is not installed ' +
    '(it builds natively: install autoconf, automake and libtool, then npm install)'
  );
}

export function chooseRuntime(
  preference: 'auto' | 'aws' | 'builtin' = 'auto',
  host: HostPlatform = currentHost(),
): RuntimeChoice {
  const builtinName =
    host.os === 'darwin'
      ? 'built-in runtime client (aws-lambda-ric does not build on macOS)'
      : 'built-in runtime client';
  const builtin = { command: [process.execPath, path.join(__dirname, 'runtime-client.cjs')], name: builtinName };
  if (preference === 'builtin') return builtin;
  let awsBin: string | undefined;
  try {
    awsBin = path.join(path.dirname(require.resolve('aws-lambda-ric/package.json')), 'bin', 'index.mjs');
  } catch {
    awsBin = undefined;
  }
  // The native part is what fails to build on machines without autoconf; without it the package is unusable.
  const built =
    awsBin &&
    fs.existsSync(awsBin) &&
    fs.existsSync(path.join(path.dirname(awsBin), '..', 'dist', 'rapid-client.node'));
  if (built && host.os !== 'darwin') {
    return { command: [process.execPath, awsBin!], name: 'aws-lambda-ric (AWS runtime interface client)' };
  }
  if (preference === 'aws') throw new Error(awsRuntimeMissing(host));
  return builtin;
}
