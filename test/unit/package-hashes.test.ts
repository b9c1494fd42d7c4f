/** build-info.json's two hashes: a workflow change moves only the workflow hash, anything else only the other one. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageHashes, sha256Hex } from '../../machinery/deployment/package-hashes';

function stage(files: Record<string, string>): { dir: string; names: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-hashes-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return { dir, names: Object.keys(files) };
}

const base = {
  'workflow-bundle.js': 'workflows v1',
  'index.js': 'activities v1',
  'releases/x/index.node': 'core',
  'build-info.json': '{}',
};
const hashes = (files: Record<string, string>) => {
  const { dir, names } = stage(files);
  return packageHashes(dir, names);
};

test('the workflow hash is the sha256 of workflow-bundle.js', () => {
  expect(hashes(base).workflowBundleSha256).toBe(sha256Hex('workflows v1'));
});

test('an activity change moves only the other-code hash; a workflow change only the workflow hash', () => {
  const before = hashes(base);
  const activityFix = hashes({ ...base, 'index.js': 'activities v1.1' });
  expect(activityFix.workflowBundleSha256).toBe(before.workflowBundleSha256);
  expect(activityFix.otherCodeSha256).not.toBe(before.otherCodeSha256);
  const workflowChange = hashes({ ...base, 'workflow-bundle.js': 'workflows v2' });
  expect(workflowChange.workflowBundleSha256).not.toBe(before.workflowBundleSha256);
  expect(workflowChange.otherCodeSha256).toBe(before.otherCodeSha256);
});

test('build-info.json and the order files are listed in do not change either hash; a renamed file does', () => {
  const before = hashes(base);
  const { 'index.js': activities, ...rest } = base;
  expect(hashes({ ...rest, 'build-info.json': '{"builtAt":"later"}', 'index.js': activities })).toEqual(before);
  expect(hashes({ ...rest, 'main.js': activities }).otherCodeSha256).not.toBe(before.otherCodeSha256);
});

test('the compile cache (derived from the code, not byte-for-byte stable) moves neither hash', () => {
  const before = hashes(base);
  expect(hashes({ ...base, 'compile-cache/handler.js.v8cache': 'one V8 run' })).toEqual(before);
  expect(hashes({ ...base, 'compile-cache/handler.js.v8cache': 'another V8 run' })).toEqual(before);
  // Only that folder: a file elsewhere that merely starts with its name is code like any other.
  expect(hashes({ ...base, 'compile-cache.js': 'code' }).otherCodeSha256).not.toBe(before.otherCodeSha256);
});
