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
  .map((file) => ({
    name: path.basename(file, '.json'),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
  }));

test('there are recorded histories to replay', () => {
  expect(histories.map((h) => h.name).sort()).toEqual([
    'bad-address',
    'cancelled-by-update',
    'decline',
    'happy',
    'long-haul',
    'notify-outage',
    'shipping-outage',
  ]);
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

/**
 * Why the default build id moved to v2 when order validation became strict: an order v1 accepted with a field it
 * did not know (here `giftWrap`) is refused by today's validation, so replaying its history on today's code fails.
 * PINNED versioning keeps such orders on v1 workers; this test shows the bump was needed, not just cautious.
 */
test("an order with a field v1 ignored cannot replay on today's code: it must stay on its pinned v1 workers", async () => {
  const happy = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, 'happy.json'), 'utf8'));
  const payload = happy.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
  const order = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  payload.data = Buffer.from(JSON.stringify({ ...order, giftWrap: true })).toString('base64');

  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv('bundle') } },
      historyFromJSON(happy),
      'replay-v1-extra-field',
    ),
  ).rejects.toBeInstanceOf(DeterminismViolationError);
});
