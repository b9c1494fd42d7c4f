/**
 * Replays recorded histories (test/replay/histories, made by `npm run record-histories`) against the current
 * workflow code. If a change would break orders already in flight, this fails the build.
 */

import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { testEnv } from '../support/test-env';

const HISTORIES_DIR = path.join(__dirname, 'histories');
const histories = fs
  .readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ name: path.basename(file, '.json'), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))) }));

test('there are recorded histories to replay', () => {
  expect(histories.map((h) => h.name).sort()).toEqual(
    ['bad-address', 'cancelled-by-update', 'decline', 'happy', 'notify-outage', 'shipping-outage'],
  );
});

test.each(histories)('the current code replays the $name history', async ({ name, history }) => {
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: testEnv('bundle') } }, history, `replay-${name}`),
  ).resolves.toBeUndefined();
});

describe('a workflow with the steps reordered', () => {
  let reorderedBundle: string;
  beforeAll(async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/reordered-workflow'),
      logger: new DefaultLogger('WARN'),
    });
    reorderedBundle = bundle.code;
  });

  test.each(histories)('fails to replay the $name history with a determinism violation', async ({ name, history }) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code: reorderedBundle } }, history, `reordered-${name}`),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
