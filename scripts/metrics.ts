/**
 * `npm run metrics -- [--function NAME] [--minutes N] [--period SECONDS] [--watch]`: the function's invocations,
 * errors, throttles, concurrency and duration per bucket, as a terminal chart. Reads CloudWatch, or the local
 * Lambda service when AWS_ENDPOINT_URL points at it.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { loadDotEnv } from '../config/load-dotenv';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { readLambdaMetrics } from '../machinery/deployment/lambda-metrics';
import { renderMetricsChart } from '../machinery/deployment/metrics-chart';
import { localCredentialsFor } from '../machinery/lambda-local/local-aws-clients';
import { LAMBDA_FUNCTION_NAME } from '../config/settings';

const USAGE = `Usage: npm run metrics -- [--function NAME] [--minutes N] [--period SECONDS] [--watch]

  --function NAME   the Lambda function (default ${LAMBDA_FUNCTION_NAME})
  --minutes N       how far back to look (default 15)
  --period SECONDS  bucket size: 60 or a multiple of 60 for CloudWatch; any value for the local service (default 60)
  --watch           redraw every 10 s until Ctrl+C`;

function usage(message: string): never {
  throw new UsageError(message);
}

async function main(): Promise<void> {
  const values = parseCommandLine({
    function: { type: 'string' },
    minutes: { type: 'string' },
    period: { type: 'string' },
    watch: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  const minutes = Number(values.minutes ?? 15);
  const period = Number(values.period ?? 60);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    usage('--minutes must be a whole number from 1 to 1440');
  if (!Number.isInteger(period) || period < 1 || period > 3600)
    usage('--period must be a whole number of seconds from 1 to 3600');
  loadDotEnv();
  const functionName = values.function ?? LAMBDA_FUNCTION_NAME;
  const credentials = localCredentialsFor();
  const client = new CloudWatchClient({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    ...(credentials && { credentials }),
  });
  const source = process.env.AWS_ENDPOINT_URL ? `the Lambda service at ${process.env.AWS_ENDPOINT_URL}` : 'CloudWatch';
  do {
    const rows = await readLambdaMetrics(client, functionName, minutes, period);
    if (values.watch) process.stdout.write('\x1b[2J\x1b[H');
    console.log(
      `${renderMetricsChart(functionName, rows, period)}\n(source: ${source}, ${new Date().toISOString().slice(11, 19)} UTC)`,
    );
    if (values.watch) await sleep(10_000);
  } while (values.watch);
  client.destroy();
}

runEntryPoint('metrics', USAGE, main);
