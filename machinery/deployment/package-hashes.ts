/**
 * The two hashes build-info.json records: the workflow bundle's (the code that must replay orders in flight, so a
 * change needs a new build id) and everything else's (handler, activities, native core, settings: safe to replace).
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_INFO_FILE } from '../../lambda/build-info';
import { COMPILE_CACHE_DIR } from '../lambda-entry/compile-cache';

export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Hashes a staged package folder: the workflow bundle alone, and the other files by name and content (sorted, so
 * the order files were written in does not matter). build-info.json is left out: it holds the hashes and a timestamp;
 * so is the compile cache: it is derived from the code hashed here, and V8 does not make it byte for byte the same.
 */
export function packageHashes(
  stageDir: string,
  files: string[],
): { workflowBundleSha256: string; otherCodeSha256: string } {
  const others = files
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f !== WORKFLOW_BUNDLE_FILE && f !== BUILD_INFO_FILE && !f.startsWith(`${COMPILE_CACHE_DIR}/`))
    .sort();
  const listing = others.map((f) => `${f}\0${sha256Hex(fs.readFileSync(path.join(stageDir, f)))}\n`).join('');
  return {
    workflowBundleSha256: sha256Hex(fs.readFileSync(path.join(stageDir, WORKFLOW_BUNDLE_FILE))),
    otherCodeSha256: sha256Hex(listing),
  };
}
