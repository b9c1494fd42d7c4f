/** What `npm run build:lambda` records about a package: the code's identity and the binary it carries. */

import fs from 'node:fs';
import path from 'node:path';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { LambdaArchitecture } from '../config/lambda-architecture';

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

/**
 * What build-info.json records about the package's V8 compile cache: who made it, and for which flags (made at build
 * time, used at init by machinery/lambda-entry/compile-cache.ts).
 */
export interface CompileCacheInfo {
  /** `node --version` of the Node that produced it, e.g. v22.23.5. */
  node: string;
  /** Node's `process.arch` there. */
  arch: string;
  /** The V8 flags it ran with (machinery/lambda-entry/runtime-flags.ts for `memoryMb`). */
  v8Flags: string[];
  /** The function memory those flags are for: a function with another memory size starts Node with other flags. */
  memoryMb: number;
  /** `v8.cachedDataVersionTag()` there: V8 version and flags in one number; the runtime must report the same. */
  v8Tag: number;
  /** Package files with an entry of Node's compile cache (`<file>.cache`), relative to the package root. */
  files: string[];
  /**
   * Package files with a V8 code cache taken after their module body ran (`<file>.v8cache`), loaded through
   * machinery/lambda-entry/cached-require.ts; with source maps on they load with `require` and their Node compile cache entry.
   */
  codeCacheFiles?: string[];
}

/** The deployment version a package was built as (its build-info.json), else `fallback` (running from source). */
export function packagedVersion(dir: string, fallback: WorkerDeploymentVersion): WorkerDeploymentVersion {
  const info = readBuildInfo(dir);
  return info ? { deploymentName: info.deploymentName, buildId: info.buildId } : fallback;
}
