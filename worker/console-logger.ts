/** A readable one-line-per-event logger for the local worker: what a presenter wants to see scroll by. */

import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/** SDK bookkeeping fields that make lines long without helping a reader. */
const NOISE = new Set([
  'sdkComponent',
  'taskQueue',
  'namespace',
  'isLocal',
  'activityId',
  'workflowRunId',
  'runId',
  'workflowType',
  'idempotencyKey',
  'taskToken',
  'activityType',
]);

function formatMeta(meta: Record<string, unknown> | undefined): string {
  if (!meta) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(meta)) {
    if (NOISE.has(key) || value === undefined) continue;
    const text =
      value instanceof Error ? value.message : typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${key}=${text}`);
  }
  return parts.length ? `  ${parts.join(' ')}` : '';
}

export function formatLogEntry(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString().slice(11, 19);
  return `${time} ${entry.level.padEnd(5)} ${entry.message}${formatMeta(entry.meta as Record<string, unknown>)}`;
}

export function createConsoleLogger(level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry) => {
    const line = formatLogEntry(entry);
    if (entry.level === 'ERROR' || entry.level === 'WARN') console.error(line);
    else console.log(line);
  });
}
