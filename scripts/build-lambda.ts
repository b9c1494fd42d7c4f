/**
 * `npm run build:lambda [-- --arch x86_64|arm64] [--include-certs] [--no-compile-cache] [--compile-cache-memory MB]
 * [--out FILE]`: builds dist/function.zip.
 */

import path from 'node:path';
import { isLambdaArchitecture } from '../config/lambda-architecture';
import { LAMBDA_PACKAGE_QUOTAS } from '../config/settings';
import { DEFAULT_COMPILE_CACHE_MEMORY_MB } from '../machinery/deployment/compile-cache';
import { LAMBDA_RUNTIME } from '../machinery/deployment/lambda-deployment';
import { buildLambdaPackage, mb } from '../machinery/deployment/lambda-package';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';

const USAGE = `Usage: npm run build:lambda -- [--arch x86_64|arm64] [--include-certs] [--no-compile-cache]
                              [--compile-cache-memory MB] [--out FILE]

  --arch           the function's architecture (default x86_64); only that binary is packed
  --include-certs  also pack the certificate and key files that temporal.toml names (off by default)
  --no-compile-cache      leave out the V8 compile cache (made by the runtime's Node, for this machine's
                          architecture only; it shortens the cold start)
  --compile-cache-memory MB  the function memory the cache is for (default ${DEFAULT_COMPILE_CACHE_MEMORY_MB}):
                          Lambda starts Node with heap flags from it, and V8 ignores a cache made under others
  --out FILE       where to write the zip (default dist/function.zip)`;

async function main(): Promise<void> {
  const values = parseCommandLine({
    arch: { type: 'string' },
    'include-certs': { type: 'boolean' },
    'no-compile-cache': { type: 'boolean' },
    'compile-cache-memory': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  const arch = values.arch ?? 'x86_64';
  if (!isLambdaArchitecture(arch)) {
    throw new UsageError(`--arch must be x86_64 or arm64 (got "${values.arch}")`);
  }
  const memoryMb = Number(values['compile-cache-memory'] ?? DEFAULT_COMPILE_CACHE_MEMORY_MB);
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240) {
    throw new UsageError(
      '--compile-cache-memory must be a whole number of MB from 128 to 10240, as Lambda allows ' +
        `(got "${values['compile-cache-memory']}")`,
    );
  }
  const outFile = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'dist', 'function.zip'));
  const started = Date.now();
  const result = await buildLambdaPackage({
    arch,
    includeCerts: Boolean(values['include-certs']),
    outFile,
    log: console.log,
    compileCache: !values['no-compile-cache'],
    compileCacheMemoryMb: memoryMb,
  });
  console.log(
    `\n${path.relative(process.cwd(), result.outFile)}: ${mb(result.zippedBytes)} zipped, ${mb(result.unzippedBytes)} unzipped (Lambda limits: ${wholeMb(LAMBDA_PACKAGE_QUOTAS.zippedBytes)} / ${wholeMb(LAMBDA_PACKAGE_QUOTAS.unzippedBytes)})`,
  );
  console.log('Largest parts:');
  for (const part of result.largest) console.log(`  ${mb(part.bytes).padStart(8)}  ${part.name}`);
  console.log(
    `Handler: index.handler   Runtime: ${LAMBDA_RUNTIME}   Architecture: ${arch}   Built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** A quota as AWS states it: 50 MB, 250 MB. */
function wholeMb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

runEntryPoint('build:lambda', USAGE, main);
