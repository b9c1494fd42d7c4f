/**
 * One Lambda REPORT log line (what every invocation writes at its end to CloudWatch Logs) as the wake-up ledger's
 * record: the cloud console's only source for invocation spans, cold starts and memory. Pure.
 *
 *   REPORT RequestId: 8f5e...\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 1769 MB\t
 *   Max Memory Used: 161 MB\tInit Duration: 412.33 ms
 */

import type { InvocationRecord } from './wakeup-ledger';

const FIELD =
  /(RequestId|Duration|Billed Duration|Memory Size|Init Duration|Status|Error Type):\s*([^\t]+?)\s*(?=\t|$)/g;

/** The execution environment a log stream stands for (one stream per environment): its id's first 8 hex digits. */
export function environmentOfStream(logStreamName: string | undefined): string | undefined {
  const id = /\]([0-9a-f]{8})[0-9a-f]*$/i.exec(logStreamName ?? '')?.[1];
  return id ? `env-${id.toLowerCase()}` : undefined;
}

/**
 * `timestamp`: the log event's time (epoch ms), written as the invocation ended. The invocation's INIT (a cold
 * start) came before its Duration, so it started `Duration + Init Duration` before the line.
 */
export function parseReportLine(
  message: string,
  timestamp: number,
  logStreamName?: string,
): InvocationRecord | undefined {
  if (!message.startsWith('REPORT ')) return undefined;
  const fields = new Map<string, string>();
  for (const [, name, value] of message.matchAll(FIELD)) fields.set(name, value);
  const requestId = fields.get('RequestId');
  const duration = parseFloat(fields.get('Duration') ?? '');
  const memory = parseInt(fields.get('Memory Size') ?? '', 10);
  if (!requestId || !Number.isFinite(duration) || !Number.isFinite(memory)) return undefined;
  const init = fields.has('Init Duration') ? parseFloat(fields.get('Init Duration')!) : undefined;
  const status = fields.get('Status');
  return {
    requestId,
    environmentId: environmentOfStream(logStreamName),
    startedAt: Math.round(timestamp - duration - (init ?? 0)),
    endedAt: timestamp,
    memoryMb: memory,
    ...(init !== undefined && Number.isFinite(init) && { initMs: init }),
    ...(status && status !== 'success' && { errorType: fields.get('Error Type') ?? status }),
  };
}
