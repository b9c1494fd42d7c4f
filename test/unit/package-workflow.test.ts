/**
 * The guards' view of a package: the workflow hash is computed from the workflow-bundle.js in the zip, and a
 * build-info.json that names another bundle refuses the package. Real zips, written by the package builder's writeZip.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../machinery/deployment/package-hashes';
import { PackageMismatchError, packageWorkflow } from '../../machinery/deployment/package-workflow';
import { writeZip } from '../../machinery/plumbing/zip';

async function zipOf(files: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-workflow-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const zipFile = path.join(dir, 'function.zip');
  await writeZip(
    Object.keys(files).map((name) => ({ name, file: path.join(dir, name) })),
    zipFile,
  );
  return zipFile;
}

const buildInfo = (workflowBundleSha256: string) =>
  JSON.stringify({ deploymentName: 'shopflow', buildId: 'b1', workflowBundleSha256, otherCodeSha256: 'x' });

test("a package as built: the hash is the bundle's own, and build-info.json agrees", async () => {
  const zipFile = await zipOf({
    'workflow-bundle.js': 'workflows v1',
    'build-info.json': buildInfo(sha256Hex('workflows v1')),
  });
  const workflow = await packageWorkflow(zipFile);
  expect(workflow.workflowBundleSha256).toBe(sha256Hex('workflows v1'));
  expect(workflow.bundle?.toString('utf8')).toBe('workflows v1');
  expect(workflow.info?.buildId).toBe('b1');
});

test('a bundle changed after the build (build-info.json stale) is refused by name, with the fix', async () => {
  const zipFile = await zipOf({
    'workflow-bundle.js': 'workflows v2, steps reordered',
    'build-info.json': buildInfo(sha256Hex('workflows v1')),
  });
  const error = await packageWorkflow(zipFile).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PackageMismatchError);
  expect((error as Error).message).toBe(
    `${zipFile} does not hold the workflow code its build-info.json names: it records workflow sha256 ` +
      `${sha256Hex('workflows v1').slice(0, 12)}..., but its workflow-bundle.js hashes to ` +
      `${sha256Hex('workflows v2, steps reordered').slice(0, 12)}... (the package was changed after it was built): ` +
      'rebuild it with npm run build:lambda',
  );
});

test('a build-info.json with a workflow hash but no bundle at all is refused too', async () => {
  const zipFile = await zipOf({ 'index.js': 'handler', 'build-info.json': buildInfo(sha256Hex('workflows v1')) });
  await expect(packageWorkflow(zipFile)).rejects.toThrow(
    `it records workflow sha256 ${sha256Hex('workflows v1').slice(0, 12)}..., but it has no workflow-bundle.js`,
  );
});
