/**
 * Runs first when the package loads: checks that the zip fits the function (architecture) and that its
 * configuration does not contradict the code's identity, before the native module is loaded and fails obscurely.
 */

import fs from 'node:fs';
import path from 'node:path';
import { NODE_ARCH, readBuildInfo, type BuildInfo, type LambdaArchitecture } from './build-info';

/** Where the package keeps the native Temporal core for each architecture (the SDK looks there). */
export const RUST_TARGET: Readonly<Record<LambdaArchitecture, string>> = {
  x86_64: 'x86_64-unknown-linux-gnu',
  arm64: 'aarch64-unknown-linux-gnu',
};

/** ELF e_machine values: EM_X86_64 and EM_AARCH64. */
const ELF_MACHINE: Readonly<Record<number, LambdaArchitecture>> = { 0x3e: 'x86_64', 0xb7: 'arm64' };

/** The architecture a native module was compiled for, read from its ELF header; a description if it is not one. */
export function nativeArchitecture(file: string): string {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) return 'not a Linux (ELF) binary';
  const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
  return ELF_MACHINE[machine] ?? `an unknown machine type 0x${machine.toString(16)}`;
}

function lambdaArchitecture(nodeArch: string): LambdaArchitecture | undefined {
  return (Object.keys(NODE_ARCH) as LambdaArchitecture[]).find((a) => NODE_ARCH[a] === nodeArch);
}

/**
 * The native core the package carries must be the one for the machine it runs on, and really be compiled for it:
 * a zip assembled by hand (or with a mislabelled binary) would otherwise fail deep in the SDK with an unreadable
 * dlopen error. A folder without `releases/` is not a built package (for example the project itself): nothing to check.
 */
export function checkNativeBinary(dir: string, nodeArch: string = process.arch): void {
  const releases = path.join(dir, 'releases');
  const arch = lambdaArchitecture(nodeArch);
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
    throw new Error(`${expected} is built for ${actual}, but the function runs on ${arch}: the package was assembled wrongly; ${rebuild}.`);
  }
}

export function checkPackage(dir: string, env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): BuildInfo | undefined {
  const info = readBuildInfo(dir);
  if (!info) {
    checkNativeBinary(dir, arch);
    return undefined;
  }
  if (NODE_ARCH[info.architecture] !== arch) {
    const actual = arch === 'x64' ? 'x86_64' : arch;
    throw new Error(
      `This package was built for ${info.architecture} but the function runs on ${actual}: ` +
        `rebuild with \`npm run build:lambda -- --arch ${actual}\` or set the function's architecture to ${info.architecture}.`,
    );
  }
  checkNativeBinary(dir, arch);
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
