/**
 * Act 4, scale to zero: once the work is done the Lambda invocations end, and the chart (the local service's
 * CloudWatch API) ends on a whole bucket with nothing running. Then the summary: every order's ending, its
 * effects recorded once, what the Lambda was billed. Returns what went wrong, if anything (verdict.ts).
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { readLambdaMetrics } from '../machinery/deployment/lambda-metrics';
import { renderMetricsChart } from '../machinery/deployment/metrics-chart';
import { localAwsClient } from '../machinery/lambda-local/local-aws-clients';
import { waitFor } from '../machinery/plumbing/wait-for';
import { formatTextTimeline } from '../console/timeline/text-timeline';
import { defaultWorkloadAnswer } from '../cost/cost-report';
import { printSummary } from './demo-summary';
import type { DemoScene } from './demo-scene';
import { LAMBDA_EMPTY_CACHE_EXIT_MS, LAMBDA_FUNCTION_NAME, LAMBDA_IDLE_EXIT_MS } from '../config/settings';
import type { FailoverOutcome } from './failover-act';
import { demoProblems, lambdaWork } from './verdict';

const METRICS_PERIOD_S = 10;

export async function scaleToZeroAct(scene: DemoScene, failover: FailoverOutcome): Promise<string[]> {
  const { args, narrator, stack, stage } = scene;
  const { orders } = failover;
  await narrator.beginAct(
    'scale to zero',
    `The Lambda worker exits as soon as nothing is left to do: ${LAMBDA_EMPTY_CACHE_EXIT_MS} ms after its last order ` +
      `has left its cache (${LAMBDA_IDLE_EXIT_MS / 1000} s while an order may still owe it a task). No work, no ` +
      `invocations, nothing billed: invocations per ${METRICS_PERIOD_S} s from the local service's CloudWatch API.`,
  );
  const cloudwatch = localAwsClient(CloudWatchClient, stack.lambda.endpoint);
  stage.own('CloudWatch client', () => cloudwatch.destroy());
  await waitFor(() => stack.busyEnvironments() === 0, {
    timeoutMs: 120_000,
    what: 'the Lambda invocations to end',
    intervalMs: 200,
  });
  // Wait until one whole bucket has passed with nothing running, so the chart ends on a zero.
  const bucketMs = METRICS_PERIOD_S * 1000;
  await sleep(Math.max(0, (Math.floor(Date.now() / bucketMs) + 2) * bucketMs - Date.now() + 500));
  const minutes = Math.max(1, Math.ceil((Date.now() - scene.startedAt) / 60_000));
  const rows = await readLambdaMetrics(cloudwatch, LAMBDA_FUNCTION_NAME, minutes, METRICS_PERIOD_S);
  console.log(`\n${renderMetricsChart(LAMBDA_FUNCTION_NAME, rows, METRICS_PERIOD_S)}`);

  const window = { start: scene.startedAt - 60_000, end: Date.now() + 1_000 };
  const sum = (metric: 'Invocations' | 'BilledGBSeconds' | 'ColdStarts') =>
    stack.lambda.metrics
      .series(LAMBDA_FUNCTION_NAME, metric, 'Sum', window.start, window.end, 3600)
      .values.reduce((a, b) => a + b, 0);
  const effects = await scene.ledger.read();
  const duplicateKeys = effects.length - new Set(effects.map((e) => e.key)).size;
  printSummary({
    orders,
    scenario: args.scenario,
    effects: effects.length,
    ledger: scene.ledger.description,
    duplicateKeys,
    tookMs: Date.now() - scene.startedAt,
    invocations: sum('Invocations'),
    coldStarts: sum('ColdStarts'),
    billedGbSeconds: sum('BilledGBSeconds'),
    timeline: formatTextTimeline(scene.presenter.timeline()),
    costAnswer: defaultWorkloadAnswer(),
  });
  console.log(
    `DEMO RESULT ${JSON.stringify({ ledger: args.ledger, orders: orders.map((r) => r.state), lambdaSteps: lambdaWork(orders), invocations: sum('Invocations'), killToDoneMs: failover.finishedAt - failover.killedAt, duplicateKeys, lastBucketInvocations: rows[rows.length - 1]?.invocations ?? -1 })}`,
  );
  return demoProblems({ scenario: args.scenario, orders, duplicateKeys });
}
