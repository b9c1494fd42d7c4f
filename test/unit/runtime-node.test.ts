/** Local Lambda environments run their runtime's own Node: the pinned npm binary, or the host's with a warning. */

import { execFileSync } from 'node:child_process';
import { runtimeNodeChooser } from '../../machinery/lambda-local/runtime-node-choice';
import { ensureRuntimeNode, RUNTIME_NODE_VERSIONS } from '../../machinery/plumbing/runtime-node';

test('nodejs22.x runs the pinned Node 22 (installed into .tools/ on first use), a real binary that runs code', () => {
  const node = ensureRuntimeNode('nodejs22.x', () => {});
  expect(node.warning).toBeUndefined();
  expect(node.version).toBe(`v${RUNTIME_NODE_VERSIONS['nodejs22.x']}`);
  expect(node.executable).toContain('.tools');
  expect(
    execFileSync(node.executable, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim(),
  ).toBe('22');
}, 300_000);

test('a runtime with no pinned Node falls back to the host Node, with a warning that says why', () => {
  const node = ensureRuntimeNode('nodejs99.x', () => {});
  expect(node.executable).toBe(process.execPath);
  expect(node.warning).toMatch(
    /nodejs99\.x run the host's Node v\d+.*no Node is pinned for nodejs99\.x in machinery\/plumbing\/runtime-node\.ts/,
  );
});

test("with AWS's native runtime client the host Node stays, said once per runtime", () => {
  const lines: string[] = [];
  const used = new Map<string, string>();
  const choose = runtimeNodeChooser(
    { command: [process.execPath, '/x/node_modules/aws-lambda-ric/bin/index.mjs'], name: 'aws-lambda-ric' },
    used,
    (l) => lines.push(l),
  );
  expect(choose('nodejs22.x')).toBe(process.execPath);
  expect(choose('nodejs22.x')).toBe(process.execPath);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Warning: .*nodejs22\.x run the host's Node .*aws-lambda-ric is built for it/);
  expect(used.get('nodejs22.x')).toBe(process.version);
});
