/**
 * Lambda's two architectures and the other names of the same machines, mapped here only: Lambda says x86_64 and
 * arm64, Node (`process.arch`, and npm's node-linux-* packages after it) x64 and arm64, Rust (the folders of the
 * Temporal core, releases/<arch>-<os>) x86_64 and aarch64.
 */

export const LAMBDA_ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

const OTHER_NAMES: Readonly<Record<LambdaArchitecture, { node: string; rust: string }>> = {
  x86_64: { node: 'x64', rust: 'x86_64' },
  arm64: { node: 'arm64', rust: 'aarch64' },
};

export function isLambdaArchitecture(name: string): name is LambdaArchitecture {
  return (LAMBDA_ARCHITECTURES as readonly string[]).includes(name);
}

/** Node's name (`process.arch`) for a Lambda architecture. */
export function nodeArchitecture(arch: LambdaArchitecture): string {
  return OTHER_NAMES[arch].node;
}

/** Rust's name (the Temporal core's releases/<arch>-<os> folders) for a Lambda architecture. */
export function rustArchitecture(arch: LambdaArchitecture): string {
  return OTHER_NAMES[arch].rust;
}

/** The Lambda architecture of a Node architecture name; undefined for a machine Lambda does not offer. */
export function lambdaArchitectureOf(nodeArch: string): LambdaArchitecture | undefined {
  return LAMBDA_ARCHITECTURES.find((arch) => OTHER_NAMES[arch].node === nodeArch);
}

/** The Lambda architecture of a machine (give it `process.arch`): the packages a local Lambda service there can run. */
export function hostArchitecture(nodeArch: string): LambdaArchitecture {
  const arch = lambdaArchitectureOf(nodeArch);
  if (!arch)
    throw new Error(`this machine's architecture is ${nodeArch}; Lambda packages run on x64 (x86_64) or arm64 only`);
  return arch;
}
