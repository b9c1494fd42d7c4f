/**
 * Cloud mode's invocations: the function's REPORT lines from CloudWatch Logs (FilterLogEvents on
 * /aws/lambda/<function>), read incrementally. Reading logs wakes no worker. FilterLogEvents is billed by the data
 * scanned, so it runs every CONSOLE_CLOUD_LOGS_REFRESH_MS and only for the lines since the last read.
 */

import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { parseReportLine } from '../timeline/report-line';
import type { InvocationRecord } from '../timeline/wakeup-ledger';

export class ReportLogReader {
  private readonly records = new Map<string, InvocationRecord>();
  private from: number;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly functionName: string,
    since: number,
  ) {
    this.from = since;
  }

  get logGroupName(): string {
    return `/aws/lambda/${this.functionName.replace(/^arn:aws:lambda:[^:]+:\d+:function:/, '')}`;
  }

  /** Every invocation reported since the console's bound, oldest first. */
  async read(): Promise<InvocationRecord[]> {
    let nextToken: string | undefined;
    let newest = this.from;
    try {
      do {
        const page = await this.logs.send(
          new FilterLogEventsCommand({
            logGroupName: this.logGroupName,
            startTime: this.from,
            filterPattern: '"REPORT RequestId"',
            nextToken,
          }),
        );
        for (const event of page.events ?? []) {
          const record = parseReportLine(event.message ?? '', event.timestamp ?? 0, event.logStreamName);
          if (record) this.records.set(record.requestId, record);
          newest = Math.max(newest, event.timestamp ?? 0);
        }
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (err) {
      // No log group yet: the function has not run since it was created. Nothing to draw, not an error.
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    // Lines arrive in CloudWatch a few seconds late: read again from a little before the newest seen.
    this.from = Math.max(this.from, newest - 60_000);
    return [...this.records.values()].sort((a, b) => a.startedAt - b.startedAt);
  }
}
