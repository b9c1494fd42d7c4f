/** `npm run starter`: submits orders and follows them until they finish. */

import { loadConnectionConfig } from '../config/connection';
import { loadDotEnv } from '../config/load-dotenv';
import { TASK_QUEUE, orderWorkflowId } from '../config/settings';
import { unexpectedEnding } from '../domain/scenarios';
import { describeProblems, validateOrder } from '../domain/validate-order';
import { UsageError, runEntryPoint } from '../client/command-line';
import { USAGE, parseStarterArgs } from './cli-args';
import { connectClient } from '../client/connect-client';
import { followOrder } from '../client/follow-order';
import { OrderAlreadySubmittedError, startOrder } from '../client/start-order';
import { newOrderId, sampleOrder } from '../client/sample-order';
import { webUiBase, workflowUrl } from '../client/web-ui';

async function main(argv: string[]): Promise<number> {
  const args = parseStarterArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  loadDotEnv();
  const temporal = loadConnectionConfig();
  const orders = Array.from({ length: args.count }, (_, i) =>
    sampleOrder(args.orderId ?? (args.count === 1 ? newOrderId() : `${newOrderId()}-${i + 1}`), args.scenario, i),
  );
  for (const order of orders) {
    const check = validateOrder(order);
    if (!check.ok) throw new UsageError(describeProblems(check.problems));
  }

  const client = await connectClient(temporal);
  const ui = webUiBase(String(temporal.connectionOptions.address));
  console.log(
    `Submitting ${orders.length} "${args.scenario}" order(s) to ${temporal.summary}, task queue ${TASK_QUEUE}`,
  );
  const handles = [];
  for (const order of orders) {
    const workflowId = orderWorkflowId(order.orderId);
    try {
      handles.push(await startOrder(client, order));
    } catch (err) {
      if (err instanceof OrderAlreadySubmittedError) {
        throw new UsageError(
          `order ${order.orderId} was already submitted (workflow ${workflowId}); choose another --order-id`,
        );
      }
      throw err;
    }
    console.log(`  ${order.orderId}  ${workflowUrl(ui, temporal.namespace, workflowId)}`);
  }
  if (!args.wait) return 0;

  const prefix = (id: string) => (handles.length > 1 ? `[${id}] ` : '  ');
  const outcomes = await Promise.all(
    handles.map((handle) => followOrder(client, handle, (line) => console.log(`${prefix(handle.workflowId)}${line}`))),
  );
  let unexpected = 0;
  for (const outcome of outcomes) {
    const mismatch = unexpectedEnding(args.scenario, { state: outcome.state, failureType: outcome.failure?.type });
    const as = mismatch ? `UNEXPECTED: ${mismatch}` : 'as the scenario expects';
    if (mismatch) unexpected++;
    if (outcome.result) {
      const r = outcome.result;
      const note = r.status.notificationError ? `; notification failed: ${r.status.notificationError}` : '';
      console.log(
        `${outcome.workflowId}: COMPLETED (${as}). Charged ${r.totalCents} cents, tracking ${r.trackingNumber}${note}`,
      );
    } else {
      console.log(
        `${outcome.workflowId}: ${outcome.state} (${as}). ${outcome.failure?.type}: ${outcome.failure?.message}`,
      );
    }
  }
  await client.connection.close();
  return unexpected === 0 ? 0 : 1;
}

runEntryPoint('starter', USAGE, () => main(process.argv.slice(2)));
