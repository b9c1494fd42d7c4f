/** The event log: kills, cold starts, retries, compensations, with times; newest on top. */

import type { LogEntry } from '../console-types';
import { byId, clock, el } from './dom';

const MAX_SHOWN = 400;

export function appendLog(entries: LogEntry[]): void {
  const list = byId('log');
  for (const entry of entries) {
    list.prepend(
      el(
        'li',
        { class: entry.kind.replace(' ', '-'), 'data-kind': entry.kind },
        `${clock(entry.at)} [${entry.kind}] ${entry.text}`,
      ),
    );
  }
  while (list.children.length > MAX_SHOWN) list.lastElementChild?.remove();
}
