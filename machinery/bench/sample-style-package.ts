/**
 * The package-size baseline: the same handler packaged the way Temporal's TypeScript Lambda sample packages it,
 * tsc output plus the production node_modules, with the other platforms' native binaries pruned. Built in the
 * bench run so that ShopFlow's esbuild package is compared with it on the same machine, at the same moment.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import { filesUnder } from '../deployment/lambda-package';
import { writeZip } from '../plumbing/zip';

export interface SamplePackage {
  taskRoot: string;
  handler: string;
  zipFile: string;
  unzippedBytes: number;
}

/**
 * Every production dependency folder, as npm itself lists them (what `npm ci --omit=dev --omit=optional` installs):
 * the optional aws-lambda-ric is the local Lambda service's runtime client, not a dependency of the handler.
 */
function productionPackages(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--omit=optional', '--all', '--parseable'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split('\n').filter((line) => line.includes(`${path.sep}node_modules${path.sep}`));
}

export async function buildSampleStylePackage(
  dir: string,
  rustTarget: string,
  log: (line: string) => void,
): Promise<SamplePackage> {
  fs.rmSync(dir, { recursive: true, force: true });
  const taskRoot = path.join(dir, 'package');
  // The sample has no loader in front of its handler: tsc compiles lambda/handler.ts and Lambda calls it directly.
  log('  baseline package: compiling the handler with tsc...');
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      ...[
        '--outDir',
        taskRoot,
        '--rootDir',
        PROJECT_ROOT,
        '--module',
        'commonjs',
        '--target',
        'ES2022',
        '--esModuleInterop',
      ],
      ...['--resolveJsonModule', '--skipLibCheck', '--types', 'node', path.join(PROJECT_ROOT, 'lambda', 'handler.ts')],
    ],
    { cwd: PROJECT_ROOT, stdio: 'inherit' },
  );
  log('  baseline package: copying the production node_modules...');
  for (const pkg of productionPackages()) {
    const target = path.join(taskRoot, path.relative(PROJECT_ROOT, pkg));
    // Nested node_modules are listed on their own when they are production dependencies.
    fs.cpSync(pkg, target, {
      recursive: true,
      filter: (source) => source === pkg || !source.startsWith(path.join(pkg, 'node_modules')),
    });
  }
  const releases = path.join(taskRoot, 'node_modules', '@temporalio', 'core-bridge', 'releases');
  for (const platform of fs.readdirSync(releases)) {
    if (platform !== rustTarget) fs.rmSync(path.join(releases, platform), { recursive: true, force: true });
  }
  fs.copyFileSync(path.join(PROJECT_ROOT, 'temporal.toml'), path.join(taskRoot, 'temporal.toml'));

  log('  baseline package: zipping...');
  const files = filesUnder(taskRoot).map((name) => path.join(taskRoot, name));
  const zipFile = path.join(dir, 'function.zip');
  await writeZip(
    files.map((file) => ({
      name: path.relative(taskRoot, file).split(path.sep).join('/'),
      file,
      executable: file.endsWith('.node'),
    })),
    zipFile,
  );
  const unzippedBytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  return { taskRoot, handler: 'lambda/handler.handler', zipFile, unzippedBytes };
}
