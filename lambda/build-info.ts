/** What `npm run build:lambda` records about a package: the code's identity and the binary it carries. */

import fs from 'node:fs';
import path from 'node:path';
import type { CompileCacheInfo } from './compile-cache';

export const BUILD_INFO_FILE = 'build-info.json';

export type LambdaArchitecture = 'x86_64' | 'arm64';

export interface BuildInfo {
  deploymentName: string;
  buildId: string;
  architecture: LambdaArchitecture;
  builtAt: string;
  /** True only when the build was told to include certificates and keys (--include-certs). */
  includesCerts: boolean;
  /**
   * sha256 (hex) of workflow-bundle.js. Orders in flight replay on it: the same build id may only ever run one
   * workflow bundle, so redeploy compares this before reusing a build id.
   */
  workflowBundleSha256: string;
  /** sha256 (hex) of every other file in the package (build-info.json aside): activities, handler, native core. */
  otherCodeSha256: string;
  /** The V8 compile cache the package carries (absent: built with --no-compile-cache, or without the runtime's Node). */
  compileCache?: CompileCacheInfo;
}

/** Node's name for a Lambda architecture. */
export const NODE_ARCH: Readonly<Record<LambdaArchitecture, string>> = { x86_64: 'x64', arm64: 'arm64' };

/** The Lambda architecture of this machine: the packages a local Lambda service here can run. */
export function hostArchitecture(nodeArch: string = process.arch): LambdaArchitecture {
  const match = (Object.keys(NODE_ARCH) as LambdaArchitecture[]).find((arch) => NODE_ARCH[arch] === nodeArch);
  if (!match)
    throw new Error(`this machine's architecture is ${nodeArch}; Lambda packages run on x64 (x86_64) or arm64 only`);
  return match;
}

export function readBuildInfo(dir: string): BuildInfo | undefined {
  const file = path.join(dir, BUILD_INFO_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BuildInfo) : undefined;
}
