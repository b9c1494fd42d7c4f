/** Who ran a step, at a glance: the local worker by pid, a Lambda by request id and execution environment. */

import { el } from './dom';

type WorkerKind = 'lambda' | 'local' | 'other';

function parse(identity: string, requestEnvironments: Record<string, string>): { kind: WorkerKind; text: string } {
  const at = identity.indexOf('@');
  const who = at >= 0 ? identity.slice(0, at) : identity;
  const where = at >= 0 ? identity.slice(at + 1) : '';
  if (where.startsWith('arn:aws:lambda:')) {
    const env = requestEnvironments[who];
    return { kind: 'lambda', text: `Lambda req ${who.slice(0, 8)}${env ? ` · ${env}` : ''}` };
  }
  if (/^\d+$/.test(who)) return { kind: 'local', text: `local pid ${who}` };
  return { kind: 'other', text: identity.slice(0, 40) };
}

/** The same words as the badge, as plain text (for history lines). */
export function describeWorkerShort(identity: string, requestEnvironments: Record<string, string> = {}): string {
  return parse(identity, requestEnvironments).text;
}

export function workerLabel(
  identity: string | undefined,
  requestEnvironments: Record<string, string> = {},
): HTMLElement | undefined {
  if (!identity) return undefined;
  const { kind, text } = parse(identity, requestEnvironments);
  return el('span', { class: `who ${kind}`, title: identity, 'data-worker-kind': kind }, text);
}
