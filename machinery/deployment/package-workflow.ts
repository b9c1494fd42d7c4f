/**
 * The workflow code a package carries, as the guards must see it: the sha256 of the workflow-bundle.js actually in
 * the zip, never only what build-info.json says about it. A package whose build-info.json disagrees with its bundle
 * (edited or repacked after the build) is refused by name: trusting it could move a build id, and the orders pinned
 * to it, onto workflow code that cannot replay them.
 */

import { BUILD_INFO_FILE, type BuildInfo } from '../../lambda/build-info';
import { sha256Hex, WORKFLOW_BUNDLE_FILE } from './package-hashes';
import { readZipEntry } from '../plumbing/zip';

/** The package says one thing and holds another: nothing was published or registered. */
export class PackageMismatchError extends Error {}

export interface PackageWorkflow {
  /** build-info.json, if the package has one. */
  info?: BuildInfo;
  /** workflow-bundle.js, if the package has one. */
  bundle?: Buffer;
  /** sha256 (hex) of `bundle`, computed here. */
  workflowBundleSha256?: string;
}

/**
 * Reads build-info.json and workflow-bundle.js from the zip and hashes the bundle. When build-info.json records a
 * workflow hash, it must be the bundle's: otherwise PackageMismatchError, with the fix.
 */
export async function packageWorkflow(zipFile: string): Promise<PackageWorkflow> {
  const raw = await readZipEntry(zipFile, BUILD_INFO_FILE);
  const info = raw && (JSON.parse(raw.toString('utf8')) as BuildInfo);
  const bundle = await readZipEntry(zipFile, WORKFLOW_BUNDLE_FILE);
  const workflowBundleSha256 = bundle && sha256Hex(bundle);
  const recorded = info?.workflowBundleSha256;
  if (recorded && recorded !== workflowBundleSha256) {
    throw new PackageMismatchError(
      `${zipFile} does not hold the workflow code its ${BUILD_INFO_FILE} names: it records workflow sha256 ` +
        `${recorded.slice(0, 12)}..., but ${
          workflowBundleSha256
            ? `its ${WORKFLOW_BUNDLE_FILE} hashes to ${workflowBundleSha256.slice(0, 12)}...`
            : `it has no ${WORKFLOW_BUNDLE_FILE}`
        } (the package was changed after it was built): rebuild it with npm run build:lambda`,
    );
  }
  return { info, bundle, workflowBundleSha256 };
}
