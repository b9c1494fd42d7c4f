/** A failure the server reported, in a few words: `Timeout` + `activity Heartbeat timeout` reads "heartbeat timeout". */

import type { ReasonFromServer } from './order-progress';

export function failureWords(reason: ReasonFromServer): string {
  if (reason.type === 'Timeout') return reason.message.replace(/^activity\s+/i, '').toLowerCase();
  return reason.type ? `${reason.type}: ${reason.message}` : reason.message;
}
