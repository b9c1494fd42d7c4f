/** `npm run build:lambda [-- --arch x86_64|arm64] [--include-certs] [--out FILE]`: builds dist/function.zip. */

import path from 'node:path';
import { isLambdaArchitecture } from '../config/lambda-architecture';
import { buildLambdaPackage, mb } from '../deployment/lambda-package';
import { UsageError, parseCommandLine, runEntryPoint } from '../devstack/command-line';
import { PROJECT_ROOT } from '../devstack/project-paths';

const USAGE = `Usage: npm run build:lambda -- [--arch x86_64|arm64] [--include-certs] [--out FILE]

  --arch           the function's architecture (default x86_64); only that binary is packed
  --include-certs  also pack the certificate and key files that temporal.toml names (off by default)
  --out FILE       where to write the zip (default dist/function.zip)`;

async function main(): Promise<void> {
  const values = parseCommandLine({
    arch: { type: 'string' },
    'include-certs': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  const arch = values.arch ?? 'x86_64';
  if (!isLambdaArchitecture(arch)) {
    throw new UsageError(`--arch must be x86_64 or arm64 (got "${values.arch}")`);
  }
  const outFile = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'dist', 'function.zip'));
  const started = Date.now();
  const result = await buildLambdaPackage({
    arch,
    includeCerts: Boolean(values['include-certs']),
    outFile,
    log: console.log,
  });
  console.log(
    `\n${path.relative(process.cwd(), result.outFile)}: ${mb(result.zippedBytes)} zipped, ${mb(result.unzippedBytes)} unzipped (Lambda limits: 50 MB / 250 MB)`,
  );
  console.log('Largest parts:');
  for (const part of result.largest) console.log(`  ${mb(part.bytes).padStart(8)}  ${part.name}`);
  console.log(
    `Handler: index.handler   Runtime: nodejs22.x   Architecture: ${arch}   Built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

runEntryPoint('build:lambda', USAGE, main);
