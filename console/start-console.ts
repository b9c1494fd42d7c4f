/**
 * `startConsole(options)`: the presenter console as a library, for `npm run console` and the demo. It watches the
 * orders through history and visibility (never a query), the Lambda through CloudWatch GetMetricData, and in local
 * mode the local Lambda service's environments and a local worker it starts itself.
 */

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import {
  CONSOLE_CLOUD_BUCKET_S,
  CONSOLE_CLOUD_METRICS_REFRESH_MS,
  CONSOLE_DEFAULT_FUNCTION,
  CONSOLE_DEFAULT_PORT,
  CONSOLE_LOCAL_BUCKET_S,
  CONSOLE_LOCAL_METRICS_REFRESH_MS,
  CONSOLE_MAX_ORDERS_PER_SUBMIT,
  CONSOLE_MIN_ORDERS_PER_SUBMIT,
  CONSOLE_CLOUD_LOGS_REFRESH_MS,
  CONSOLE_ORDER_LOOKBACK_MINUTES,
  CONSOLE_TIMELINE_REFRESH_MS,
  CONSOLE_VERSIONS_REFRESH_MS,
} from '../config/console';
import path from 'node:path';
import { isTemporalCloudAddress, loadConnectionConfig, type TemporalConnectionConfig } from '../config/connection';
import { resolveDeploymentName } from '../config/environment';
import { TASK_QUEUE } from '../config/settings';
import { SCENARIOS, SCENARIO_DESCRIPTIONS } from '../domain/scenarios';
import { DATA_DIR } from '../machinery/plumbing/project-paths';
import { localAwsClient } from '../machinery/lambda-local/local-aws-clients';
import { LOCAL_LAMBDA_DEFAULTS } from '../machinery/lambda-local/settings';
import { connectClient } from '../client/connect-client';
import { webUiBase, workflowUrl } from '../client/web-ui';
import { cancelOrder, submitOrders } from './actions/order-actions';
import { RedeployControl } from './actions/redeploy-action';
import { ConsoleHub } from './console-hub';
import { createConsoleServer, type ConsoleControls } from './console-server';
import type { ActView, ConsoleMode } from './console-types';
import { alwaysOnPrice } from './cost';
import { newRunToken } from './request-guard';
import { LambdaEnvironmentsSource } from './sources/lambda-environments-source';
import { LambdaMetricsSource } from './sources/lambda-metrics-source';
import { LocalWorkerProcess } from './sources/local-worker';
import { localTemporalEnvironment } from '../machinery/devstack/local-worker-process';
import { OrdersSource } from './sources/orders-source';
import { ReportLogReader } from './sources/report-log-reader';
import { TimelineSource, localInvocationReader } from './sources/timeline-source';
import type { TimelineView } from './timeline/timeline-types';
import { buildWebBundle } from './web-bundle';

export interface StartConsoleOptions {
  /** Default CONSOLE_DEFAULT_PORT; 0 picks a free one. Always on 127.0.0.1. */
  port?: number;
  /** The Lambda function to chart (default shopflow-worker). */
  functionName?: string;
  /** Default: cloud when the Temporal profile points at Temporal Cloud, else local. */
  mode?: ConsoleMode;
  /** Default: the profile from temporal.toml / TEMPORAL_* (loadConnectionConfig). */
  temporal?: TemporalConnectionConfig;
  /** Lambda and CloudWatch endpoint. Local default: AWS_ENDPOINT_URL, else the local Lambda service's port. */
  awsEndpoint?: string;
  /** Cloud mode: CloudWatch Logs' endpoint, when not AWS's (default: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS or AWS's). */
  logsEndpoint?: string;
  /** Task queue for orders submitted from the page (default TASK_QUEUE). */
  taskQueue?: string;
  /** Environment of the local worker the console starts (local mode). Default: the console's own Temporal address. */
  workerEnv?: NodeJS.ProcessEnv;
  /** Each output line of the local worker the console starts (the demo narrates from them). */
  onWorkerLine?: (line: string) => void;
  /** Start the local worker at launch (local mode). */
  startWorker?: boolean;
  /** The Temporal Web UI the order links open (default: derived from the address, as the starter does). */
  webUi?: string;
  /** Orders started before this are not shown (default: a few minutes before now). */
  ordersSince?: Date;
  /** The demo's "Next act": the page shows the button while an act set with setAct waits, and this is called. */
  onNextAct?: () => void;
  /** One line per notable event, for a terminal. */
  log?: (line: string) => void;
  /** Local mode: where "Ship the next build" writes its zip (default data/console). */
  releaseDir?: string;
}

export interface RunningConsole {
  url: string;
  mode: ConsoleMode;
  hub: ConsoleHub;
  /** Shows the demo's current act on the page (with a "Next act" button while it waits, if onNextAct was given). */
  setAct(act: ActView): void;
  /** The local worker the console manages (local mode); the demo may start and kill it too. */
  worker?: LocalWorkerProcess;
  /** "Ship the next build" (local mode); the demo's act 5 runs its redeploy through it, so the page shows it. */
  redeploys?: RedeployControl;
  /** The timeline as drawn now (workflow tasks included): the demo prints its text form. */
  timeline(): TimelineView;
  close(): Promise<void>;
}

export async function startConsole(options: StartConsoleOptions = {}): Promise<RunningConsole> {
  const closers: (() => Promise<void>)[] = [];
  const startedAt = Date.now();
  const log = options.log ?? (() => {});
  const temporal = options.temporal ?? loadConnectionConfig();
  const address = String(temporal.connectionOptions.address);
  const mode: ConsoleMode = options.mode ?? (isTemporalCloudAddress(address) ? 'cloud' : 'local');
  const functionName = options.functionName ?? CONSOLE_DEFAULT_FUNCTION;
  const alwaysOn = alwaysOnPrice();
  const awsEndpoint =
    options.awsEndpoint ??
    process.env.AWS_ENDPOINT_URL ??
    (mode === 'local' ? `http://127.0.0.1:${LOCAL_LAMBDA_DEFAULTS.port}` : undefined);
  const aws = {
    region: process.env.AWS_REGION ?? LOCAL_LAMBDA_DEFAULTS.region,
    ...(awsEndpoint && { endpoint: awsEndpoint }),
  };
  // Local mode: the local Lambda service's convention; the cloud: the SDK's usual credential chain.
  const localEndpoint = mode === 'local' ? awsEndpoint : undefined;
  const cloudwatch = localEndpoint ? localAwsClient(CloudWatchClient, localEndpoint) : new CloudWatchClient(aws);
  const lambda = localEndpoint ? localAwsClient(LambdaClient, localEndpoint) : new LambdaClient(aws);
  const client: Client = await connectClient(temporal);
  const uiBase = options.webUi?.replace(/\/$/, '') ?? webUiBase(address);
  const taskQueue = options.taskQueue ?? TASK_QUEUE;

  const hub = new ConsoleHub({
    mode,
    functionName,
    temporal: temporal.summary,
    namespace: temporal.namespace,
    webUi: uiBase,
    scenarios: SCENARIOS.map((name) => ({ name, description: SCENARIO_DESCRIPTIONS[name] })),
    limits: { minOrders: CONSOLE_MIN_ORDERS_PER_SUBMIT, maxOrders: CONSOLE_MAX_ORDERS_PER_SUBMIT },
    controls: mode === 'local',
    story: Boolean(options.onNextAct),
  });
  const ordersSince = options.ordersSince ?? new Date(startedAt - CONSOLE_ORDER_LOOKBACK_MINUTES * 60_000);
  // Where the timeline's invocations come from: the local service, or the function's REPORT lines in CloudWatch Logs
  // (a service of its own, not the Lambda/CloudWatch endpoint; AWS_ENDPOINT_URL_CLOUDWATCH_LOGS also works).
  const logs = localEndpoint
    ? undefined
    : new CloudWatchLogsClient({ region: aws.region, ...(options.logsEndpoint && { endpoint: options.logsEndpoint }) });
  const reports = logs && new ReportLogReader(logs, functionName, ordersSince.getTime());
  const timeline = new TimelineSource({
    hub,
    mode,
    ...(reports
      ? {
          readInvocations: () => reports.read(),
          readEveryMs: CONSOLE_CLOUD_LOGS_REFRESH_MS,
          describeReadFailure: (err) =>
            `timeline: reading the function's REPORT lines from CloudWatch Logs failed: ${err.message} ` +
            '(the console needs logs:FilterLogEvents on /aws/lambda/<function>; see docs/deploy-to-aws.md)',
        }
      : {
          readInvocations: localInvocationReader(localEndpoint!, functionName, ordersSince.getTime()),
          readEveryMs: CONSOLE_TIMELINE_REFRESH_MS,
          describeReadFailure: (err) =>
            `timeline: reading the local Lambda service's invocations failed: ${err.message}`,
        }),
  });
  const orders = new OrdersSource({
    client,
    hub,
    webUiUrl: (id) => workflowUrl(uiBase, temporal.namespace, id),
    since: ordersSince,
    onOrderRead: timeline.onOrderRead,
  });
  const metrics = new LambdaMetricsSource({
    cloudwatch,
    lambda,
    functionName,
    bucketSeconds: mode === 'local' ? CONSOLE_LOCAL_BUCKET_S : CONSOLE_CLOUD_BUCKET_S,
    refreshMs: mode === 'local' ? CONSOLE_LOCAL_METRICS_REFRESH_MS : CONSOLE_CLOUD_METRICS_REFRESH_MS,
    billing: mode === 'local' ? 'local-metric' : 'duration-times-memory',
    // Cloud: the REPORT lines' billed time (INIT included); CloudWatch's Duration metric leaves INIT out.
    ...(reports && { reportedGbSeconds: (since: number) => timeline.billedGbSeconds(since) }),
    sourceLabel: awsEndpoint ? `CloudWatch API at ${awsEndpoint}` : `CloudWatch (${aws.region})`,
    fixHint:
      mode === 'local'
        ? 'start the local Lambda service with `npm run lambda-local`, or point AWS_ENDPOINT_URL at it'
        : 'check AWS_PROFILE / AWS_REGION and that the credentials may call cloudwatch:GetMetricData',
    startedAt,
    alwaysOn,
    hub,
  });
  const environments =
    mode === 'local' && awsEndpoint ? new LambdaEnvironmentsSource(awsEndpoint, functionName, hub) : undefined;

  let worker: LocalWorkerProcess | undefined;
  let controls: ConsoleControls | undefined;
  let redeploys: RedeployControl | undefined;
  if (mode === 'local') {
    worker = new LocalWorkerProcess({
      env: localTemporalEnvironment(address, temporal.namespace, options.workerEnv),
      onLine: options.onWorkerLine,
      onChange: (view) => {
        hub.updateWorkers({ localWorker: view });
        if (view.state === 'running') hub.record('start', `local worker running (pid ${view.pid})`);
        if (view.state === 'killed') {
          hub.record('kill', `local worker pid ${view.pid} ${view.detail}`);
          timeline.markKill(`local pid ${view.pid} ${view.detail}`);
        }
        if (view.state === 'draining') timeline.markKill(`local pid ${view.pid} sent SIGINT (drain)`);
        if (view.state === 'stopped' || view.state === 'failed')
          hub.record('info', `local worker pid ${view.pid} ${view.detail}`);
      },
    });
    hub.updateWorkers({ localWorker: worker.snapshot() });
    const managed = worker;
    redeploys = new RedeployControl({
      hub,
      lambda,
      connection: client.connection,
      namespace: temporal.namespace,
      functionName,
      deploymentName: resolveDeploymentName({ ...process.env, ...options.workerEnv }),
      workDir: options.releaseDir ?? path.join(DATA_DIR, 'console'),
      refreshMs: CONSOLE_VERSIONS_REFRESH_MS,
    });
    const shipper = redeploys;
    controls = {
      submit: async (scenario, count) => {
        const ids = await submitOrders(client, taskQueue, scenario, count);
        ids.forEach((id) => orders.watch(id));
        return ids;
      },
      cancel: (workflowId, reason) => cancelOrder(client, workflowId, reason),
      worker: { start: () => managed.start(), kill: (signal) => managed.kill(signal) },
      redeploy: { shipNext: (from) => shipper.shipNext(from) },
    };
  } else {
    hub.setRedeploy({
      state: 'idle',
      lines: [],
      versions: [],
      disabledReason: 'watching only (cloud mode): ship a new build with npm run redeploy (docs/deploy-to-aws.md)',
    });
    // Cloud: the Lambda identities that ran steps, from the orders' histories.
    const seen = new Set<string>();
    const unsubscribe = hub.subscribe((message) => {
      if (message.type !== 'orders') return;
      const before = seen.size;
      for (const order of message.orders) {
        for (const a of [...order.steps, ...order.compensations])
          if (a.worker?.includes('@arn:aws:lambda:')) seen.add(a.worker);
      }
      if (seen.size !== before) hub.updateWorkers({ lambdaIdentities: [...seen] });
    });
    closers.push(async () => unsubscribe());
  }

  const bundle = await buildWebBundle();
  const token = newRunToken();
  const app = createConsoleServer({
    hub,
    bundle,
    token,
    title: `ShopFlow console (${mode})`,
    controls,
    onNextAct: options.onNextAct,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? CONSOLE_DEFAULT_PORT });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;

  orders.start();
  timeline.start();
  metrics.start();
  environments?.start();
  redeploys?.start();
  if (options.startWorker && worker) await worker.start();
  log(`Presenter console (${mode}): ${url}  [Temporal ${temporal.summary}; Lambda ${functionName}]`);

  let closing: Promise<void> | undefined;
  return {
    url,
    mode,
    hub,
    worker,
    redeploys,
    setAct: (act) => hub.setAct(act),
    timeline: () => timeline.view(),
    close: () =>
      (closing ??= (async () => {
        timeline.close();
        metrics.close();
        environments?.close();
        await redeploys?.close();
        hub.close();
        await app.close();
        await orders.close();
        await worker?.close();
        for (const closer of closers) await closer();
        await client.connection.close();
        cloudwatch.destroy();
        lambda.destroy();
        logs?.destroy();
      })()),
  };
}
