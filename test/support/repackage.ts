/**
 * A built Lambda package with one part swapped, hashes recomputed the way the builder computes them: the workflow
 * bundle (a workflow change under the same build id) or an extra file (an activity-only fix), for the redeploy tests;
 * with keepBuildInfo, the hashes are left stale. Returns the build info the new package's contents hash to.
 */

import fs from 'node:fs';
import path from 'node:path';
import { BUILD_INFO_FILE, type BuildInfo } from '../../lambda/build-info';
import { filesUnder } from '../../machinery/deployment/lambda-package';
import { packageHashes, WORKFLOW_BUNDLE_FILE } from '../../machinery/deployment/package-hashes';
import { extractZip, writeZip } from '../../machinery/plumbing/zip';

export async function repackage(
  zipFile: string,
  outFile: string,
  change: {
    workflowBundle?: string;
    addFile?: { name: string; content: string };
    buildId?: string;
    /** Leave build-info.json as it was (stale): a package changed after its build, which the guards must refuse. */
    keepBuildInfo?: boolean;
  },
): Promise<BuildInfo> {
  const stage = `${outFile}.stage`;
  fs.rmSync(stage, { recursive: true, force: true });
  await extractZip(zipFile, stage);
  if (change.workflowBundle) fs.writeFileSync(path.join(stage, WORKFLOW_BUNDLE_FILE), change.workflowBundle);
  if (change.addFile) fs.writeFileSync(path.join(stage, change.addFile.name), change.addFile.content);
  const old = JSON.parse(fs.readFileSync(path.join(stage, BUILD_INFO_FILE), 'utf8')) as BuildInfo;
  const files = filesUnder(stage);
  const info: BuildInfo = {
    ...old,
    ...(change.buildId && { buildId: change.buildId }),
    ...packageHashes(stage, files),
  };
  if (!change.keepBuildInfo) fs.writeFileSync(path.join(stage, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  await writeZip(
    files.map((name) => ({ name, file: path.join(stage, name), executable: name.endsWith('.node') })),
    outFile,
  );
  fs.rmSync(stage, { recursive: true, force: true });
  return info;
}
