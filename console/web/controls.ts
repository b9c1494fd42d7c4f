/** The control buttons (local mode): each request carries the per-run token; the answer is shown as it came. */

import type { ConsoleHello, ControlReply } from '../console-types';
import { byId } from './dom';

const token = document.querySelector<HTMLMetaElement>('meta[name="console-token"]')?.content ?? '';

export async function postControl(path: string, body: unknown): Promise<ControlReply> {
  const message = byId('control-message');
  message.className = '';
  message.textContent = '…';
  let reply: ControlReply;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopflow-console-token': token },
      body: JSON.stringify(body),
    });
    reply = (await response.json()) as ControlReply;
  } catch (err) {
    reply = { ok: false, message: `the console did not answer: ${(err as Error).message}` };
  }
  message.className = reply.ok ? 'ok' : 'error';
  message.textContent = reply.message;
  return reply;
}

export function setUpControls(hello: ConsoleHello): void {
  const panel = byId('controls');
  panel.hidden = !hello.controls;
  if (!hello.controls) return;
  const select = byId<HTMLSelectElement>('order-scenario');
  if (select.options.length === 0) {
    for (const s of hello.scenarios) select.add(new Option(`${s.name}: ${s.description}`, s.name));
  }
  const count = byId<HTMLInputElement>('order-count');
  count.min = String(hello.limits.minOrders);
  count.max = String(hello.limits.maxOrders);
  if (panel.dataset.wired) return;
  panel.dataset.wired = 'yes';
  byId('submit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    // Sent as typed: the server is the one that checks the bounds and says what is wrong.
    void postControl('/api/orders', { scenario: select.value, count: Number(count.value) });
  });
  byId('worker-start').addEventListener('click', () => void postControl('/api/worker/start', {}));
  byId('worker-kill').addEventListener('click', () => void postControl('/api/worker/kill', { signal: 'SIGKILL' }));
  byId('worker-drain').addEventListener('click', () => void postControl('/api/worker/kill', { signal: 'SIGINT' }));
}

export function cancelOrder(workflowId: string): void {
  void postControl(`/api/orders/${encodeURIComponent(workflowId)}/cancel`, {
    reason: 'cancelled from the presenter console',
  });
}
