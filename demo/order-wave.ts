/** A wave of demo orders: submitted together, each followed and narrated, ending when every one of them has ended. */

import type { Client } from '@temporalio/client';
import type { Scenario } from '../domain/scenarios';
import { followOrder, type FollowedOrder } from '../client/follow-order';
import { newOrderId, sampleOrder } from '../client/sample-order';
import { startOrder } from '../client/start-order';
import { workflowUrl } from '../client/web-ui';
import type { Narrator } from './narrator';

export interface Wave {
  /** Orders of this wave that have not ended yet. */
  openCount(): number;
  ended: Promise<FollowedOrder[]>;
}

export async function submitWave(
  client: Client,
  wave: { scenario: Scenario; count: number; label: string; uiUrl: string },
  narrator: Pick<Narrator, 'say' | 'step'>,
): Promise<Wave> {
  const base = newOrderId();
  const followers: Promise<FollowedOrder>[] = [];
  let open = 0;
  for (let i = 0; i < wave.count; i++) {
    const order = sampleOrder(wave.count === 1 ? base : `${base}-${i + 1}`, wave.scenario, i);
    const handle = await startOrder(client, order);
    narrator.step(
      `${order.orderId}${wave.label ? ` (${wave.label})` : ''}: ${workflowUrl(wave.uiUrl, 'default', handle.workflowId)}`,
    );
    open++;
    const followed = followOrder(client, handle, (line) => narrator.say(`[${handle.workflowId}] ${line}`));
    followers.push(followed.finally(() => open--));
  }
  return { openCount: () => open, ended: Promise.all(followers) };
}
