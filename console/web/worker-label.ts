/** Who ran a step, at a glance: the local worker by pid, a Lambda by request id and execution environment. */

import { el } from './dom';

export function workerLabel(
  identity: string | undefined,
  requestEnvironments: Record<string, string> = {},
): HTMLElement | undefined {
  if (!identity) return undefined;
  const at = identity.indexOf('@');
  const who = at >= 0 ? identity.slice(0, at) : identity;
  const where = at >= 0 ? identity.slice(at + 1) : '';
  if (where.startsWith('arn:aws:lambda:')) {
    const env = requestEnvironments[who];
    const text = `Lambda req ${who.slice(0, 8)}${env ? ` · ${env}` : ''}`;
    return el('span', { class: 'who lambda', title: identity, 'data-worker-kind': 'lambda' }, text);
  }
  if (/^\d+$/.test(who))
    return el('span', { class: 'who local', title: identity, 'data-worker-kind': 'local' }, `local pid ${who}`);
  return el('span', { class: 'who other', title: identity, 'data-worker-kind': 'other' }, identity.slice(0, 40));
}
