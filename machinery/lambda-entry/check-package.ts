/**
 * Runs first when the package loads: checks that the zip fits the function (architecture) and that its
 * configuration does not contradict the code's identity, before the native module is loaded and fails obscurely.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  LAMBDA_ARCHITECTURES,
  lambdaArchitectureOf,
  nodeArchitecture,
  type LambdaArchitecture,
} from '../../config/lambda-architecture';
import { readBuildInfo, type BuildInfo } from '../../lambda/build-info';
import { currentHost, describeHost, nativeCoreTarget, type HostPlatform } from './host-platform';

/** Where the package keeps the native Temporal core for each architecture (the SDK looks there): the Linux one. */
export const RUST_TARGET = Object.fromEntries(
  LAMBDA_ARCHITECTURES.map((arch) => [arch, nativeCoreTarget({ os: 'linux', arch: nodeArchitecture(arch) })]),
) as Readonly<Record<LambdaArchitecture, string>>;

/** ELF e_machine values: EM_X86_64 and EM_AARCH64. */
const ELF_MACHINE: Readonly<Record<number, LambdaArchitecture>> = { 0x3e: 'x86_64', 0xb7: 'arm64' };
/** Mach-O cputype values: CPU_TYPE_X86_64 and CPU_TYPE_ARM64. */
const MACH_O_CPU: Readonly<Record<number, LambdaArchitecture>> = { 0x01000007: 'x86_64', 0x0100000c: 'arm64' };

export interface NativeBinary {
  /** linux for ELF, darwin for Mach-O, undefined for anything else. */
  os?: 'linux' | 'darwin';
  arch?: LambdaArchitecture;
  /** In words, after "built for": "arm64" (Linux), "macOS (Mach-O) arm64", "no known platform (...)". */
  description: string;
}

/** What a native module was compiled for, read from its header (ELF on Linux, Mach-O on macOS). */
export function describeNativeBinary(file: string): NativeBinary {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
    const arch = ELF_MACHINE[machine];
    return { os: 'linux', arch, description: arch ?? `an unknown machine type 0x${machine.toString(16)}` };
  }
  if (header.readUInt32LE(0) === 0xfeedfacf) {
    const arch = MACH_O_CPU[header.readUInt32LE(4)];
    return { os: 'darwin', arch, description: `macOS (Mach-O) ${arch ?? 'on an unknown CPU'}` };
  }
  return { description: 'no known platform (neither ELF nor Mach-O)' };
}

/** The architecture a Linux native module was compiled for (its ELF header); a description if it is not one. */
export function nativeArchitecture(file: string): string {
  const binary = describeNativeBinary(file);
  return binary.os === 'linux' && binary.arch ? binary.arch : binary.description;
}

/**
 * The native core the package carries must be the one for the machine it runs on, and really be compiled for it:
 * a zip assembled by hand (or with a mislabelled binary) would otherwise fail deep in the SDK with an unreadable
 * dlopen error. A folder without `releases/` is not a built package (for example the project itself): nothing to check.
 * The Linux core is always checked (the zip is the one AWS runs); on a Mac, the core the local Lambda service added
 * for the Mac is checked as well.
 */
export function checkNativeBinary(dir: string, host: HostPlatform = currentHost()): void {
  const releases = path.join(dir, 'releases');
  const arch = lambdaArchitectureOf(host.arch);
  if (!arch || !fs.existsSync(releases)) return;
  const expected = path.join('releases', RUST_TARGET[arch], 'index.node');
  const rebuild = `rebuild with \`npm run build:lambda -- --arch ${arch}\``;
  if (!fs.existsSync(path.join(dir, expected))) {
    const carried = fs.readdirSync(releases).map((target) => `releases/${target}/index.node`);
    throw new Error(
      `This package has no native Temporal core for ${arch} (${expected}); it carries ${carried.join(', ') || 'none'}: ` +
        `${rebuild} or set the function's architecture to match.`,
    );
  }
  const actual = nativeArchitecture(path.join(dir, expected));
  if (actual !== arch) {
    throw new Error(
      `${expected} is built for ${actual}, but the function runs on ${arch}: the package was assembled wrongly; ${rebuild}.`,
    );
  }
  if (host.os !== 'linux') checkHostCore(dir, host, arch, expected);
}

/** Not on Linux, the SDK loads the machine's own core: the local Lambda service adds it at deploy time. */
function checkHostCore(dir: string, host: HostPlatform, arch: LambdaArchitecture, linuxCore: string): void {
  const hostCore = path.join('releases', nativeCoreTarget(host), 'index.node');
  if (!fs.existsSync(path.join(dir, hostCore))) {
    throw new Error(
      `This package carries the Linux native Temporal core only (${linuxCore}), ` +
        `and on ${describeHost(host)} the SDK loads ${hostCore}: ` +
        'run it through the local Lambda service (npm run lambda-local, or npm run demo), ' +
        "which adds this machine's core when the function is deployed.",
    );
  }
  const found = describeNativeBinary(path.join(dir, hostCore));
  if (found.os !== host.os || found.arch !== arch) {
    const builtFor = found.os === 'linux' ? `Linux ${found.description}` : found.description;
    throw new Error(
      `${hostCore} is built for ${builtFor}, but this machine is ${describeHost(host)}: ` +
        'deploy the function again (UpdateFunctionCode) so the local Lambda service copies the right core from ' +
        '@temporalio/core-bridge (run `npm ci` first if that copy is damaged).',
    );
  }
}

export function checkPackage(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  host: HostPlatform = currentHost(),
): BuildInfo | undefined {
  const info = readBuildInfo(dir);
  if (!info) {
    checkNativeBinary(dir, host);
    return undefined;
  }
  if (nodeArchitecture(info.architecture) !== host.arch) {
    const actual = lambdaArchitectureOf(host.arch) ?? host.arch;
    throw new Error(
      `This package was built for ${info.architecture} but the function runs on ${actual}: ` +
        `rebuild with \`npm run build:lambda -- --arch ${actual}\` or set the function's architecture to ${info.architecture}.`,
    );
  }
  checkNativeBinary(dir, host);
  const envBuildId = env.SHOPFLOW_BUILD_ID?.trim();
  if (envBuildId && envBuildId !== info.buildId) {
    throw new Error(
      `SHOPFLOW_BUILD_ID is ${envBuildId} in the function's environment, but this package was built as ${info.buildId}: ` +
        'remove the variable, or rebuild with that build id.',
    );
  }
  const envDeployment = env.SHOPFLOW_DEPLOYMENT_NAME?.trim();
  if (envDeployment && envDeployment !== info.deploymentName) {
    throw new Error(
      `SHOPFLOW_DEPLOYMENT_NAME is ${envDeployment} in the function's environment, but this package was built for ${info.deploymentName}: ` +
        'remove the variable, or rebuild with that name.',
    );
  }
  return info;
}
