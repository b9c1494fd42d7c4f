/** What `npm run build:lambda` records about a package: the code's identity and the binary it carries. */

import fs from 'node:fs';
import path from 'node:path';
import type { LambdaArchitecture } from '../config/lambda-architecture';
import type { CompileCacheInfo } from './compile-cache';

export const BUILD_INFO_FILE = 'build-info.json';

export interface BuildInfo {
  deploymentName: string;
  buildId: string;
  architecture: LambdaArchitecture;
  builtAt: string;
  /** True only when the build was told to include certificates and keys (--include-certs). */
  includesCerts: boolean;
  /** Release features built into the code (config/release-features); absent in packages built before them. */
  releaseFeatures?: string[];
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

export function readBuildInfo(dir: string): BuildInfo | undefined {
  const file = path.join(dir, BUILD_INFO_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BuildInfo) : undefined;
}
