/**
 * `startConsole(options)`: the presenter console as a library, for `npm run console` and the demo. It watches the
 * orders through history and visibility (never a query), the Lambda through CloudWatch GetMetricData, and in local
 * mode the local Lambda service's environments and a local worker it starts itself.
 */

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
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
import { localTemporalEnvironment } from '../machinery/devstack/local-worker-process';
import { LocalWorkerProcess } from './sources/local-worker';
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

/** Everything startConsole derives from its options before it opens anything. */
interface ConsoleSettings {
  startedAt: number;
  log: (line: string) => void;
  temporal: TemporalConnectionConfig;
  address: string;
  mode: ConsoleMode;
  functionName: string;
  awsEndpoint: string | undefined;
  aws: { region: string; endpoint?: string };
  /** Local mode: the local Lambda service's endpoint; undefined in the cloud. */
  localEndpoint: string | undefined;
  uiBase: string;
  taskQueue: string;
  ordersSince: Date;
  /** Read first: a bad price stops the console before it connects to anything. */
  alwaysOn: ReturnType<typeof alwaysOnPrice>;
}

function resolveSettings(options: StartConsoleOptions): ConsoleSettings {
  const startedAt = Date.now();
  const temporal = options.temporal ?? loadConnectionConfig();
  const address = String(temporal.connectionOptions.address);
  const mode: ConsoleMode = options.mode ?? (isTemporalCloudAddress(address) ? 'cloud' : 'local');
  const awsEndpoint =
    options.awsEndpoint ??
    process.env.AWS_ENDPOINT_URL ??
    (mode === 'local' ? `http://127.0.0.1:${LOCAL_LAMBDA_DEFAULTS.port}` : undefined);
  return {
    startedAt,
    log: options.log ?? (() => {}),
    temporal,
    address,
    mode,
    functionName: options.functionName ?? CONSOLE_DEFAULT_FUNCTION,
    awsEndpoint,
    aws: {
      region: process.env.AWS_REGION ?? LOCAL_LAMBDA_DEFAULTS.region,
      ...(awsEndpoint && { endpoint: awsEndpoint }),
    },
    localEndpoint: mode === 'local' ? awsEndpoint : undefined,
    uiBase: options.webUi?.replace(/\/$/, '') ?? webUiBase(address),
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ordersSince: options.ordersSince ?? new Date(startedAt - CONSOLE_ORDER_LOOKBACK_MINUTES * 60_000),
    alwaysOn: alwaysOnPrice(),
  };
}

interface AwsClients {
  cloudwatch: CloudWatchClient;
  lambda: LambdaClient;
  /** Cloud only: CloudWatch Logs, where the function's REPORT lines are. */
  logs?: CloudWatchLogsClient;
}

/** Local mode: the local Lambda service's convention; the cloud: the SDK's usual credential chain. */
function openAwsClients(settings: ConsoleSettings, options: StartConsoleOptions): AwsClients {
  const { localEndpoint, aws } = settings;
  return {
    cloudwatch: localEndpoint ? localAwsClient(CloudWatchClient, localEndpoint) : new CloudWatchClient(aws),
    lambda: localEndpoint ? localAwsClient(LambdaClient, localEndpoint) : new LambdaClient(aws),
    // A service of its own, not the Lambda/CloudWatch endpoint (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS also works).
    logs: localEndpoint
      ? undefined
      : new CloudWatchLogsClient({
          region: aws.region,
          ...(options.logsEndpoint && { endpoint: options.logsEndpoint }),
        }),
  };
}

function newHub(settings: ConsoleSettings, options: StartConsoleOptions): ConsoleHub {
  const { mode, temporal } = settings;
  return new ConsoleHub({
    mode,
    functionName: settings.functionName,
    temporal: temporal.summary,
    namespace: temporal.namespace,
    webUi: settings.uiBase,
    scenarios: SCENARIOS.map((name) => ({ name, description: SCENARIO_DESCRIPTIONS[name] })),
    limits: { minOrders: CONSOLE_MIN_ORDERS_PER_SUBMIT, maxOrders: CONSOLE_MAX_ORDERS_PER_SUBMIT },
    controls: mode === 'local',
    story: Boolean(options.onNextAct),
  });
}

/** Where the timeline's invocations come from: the local service, or the function's REPORT lines in CloudWatch Logs. */
function timelineSource(settings: ConsoleSettings, hub: ConsoleHub, reports: ReportLogReader | undefined) {
  const { mode, functionName, localEndpoint, ordersSince } = settings;
  return new TimelineSource({
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
}

function metricsSource(
  settings: ConsoleSettings,
  aws: AwsClients,
  hub: ConsoleHub,
  timeline: TimelineSource,
  reports: ReportLogReader | undefined,
): LambdaMetricsSource {
  const { mode, awsEndpoint } = settings;
  return new LambdaMetricsSource({
    cloudwatch: aws.cloudwatch,
    lambda: aws.lambda,
    functionName: settings.functionName,
    bucketSeconds: mode === 'local' ? CONSOLE_LOCAL_BUCKET_S : CONSOLE_CLOUD_BUCKET_S,
    refreshMs: mode === 'local' ? CONSOLE_LOCAL_METRICS_REFRESH_MS : CONSOLE_CLOUD_METRICS_REFRESH_MS,
    billing: mode === 'local' ? 'local-metric' : 'duration-times-memory',
    // Cloud: the REPORT lines' billed time (INIT included); CloudWatch's Duration metric leaves INIT out.
    ...(reports && { reportedGbSeconds: (since: number) => timeline.billedGbSeconds(since) }),
    sourceLabel: awsEndpoint ? `CloudWatch API at ${awsEndpoint}` : `CloudWatch (${settings.aws.region})`,
    fixHint:
      mode === 'local'
        ? 'start the local Lambda service with `npm run lambda-local`, or point AWS_ENDPOINT_URL at it'
        : 'check AWS_PROFILE / AWS_REGION and that the credentials may call cloudwatch:GetMetricData',
    startedAt: settings.startedAt,
    alwaysOn: settings.alwaysOn,
    hub,
  });
}

/** The local worker the console starts, reported on the board and marked on the timeline. */
function localWorker(
  settings: ConsoleSettings,
  options: StartConsoleOptions,
  hub: ConsoleHub,
  timeline: TimelineSource,
): LocalWorkerProcess {
  const worker = new LocalWorkerProcess({
    env: localTemporalEnvironment(settings.address, settings.temporal.namespace, options.workerEnv),
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
  return worker;
}

interface LocalControls {
  worker: LocalWorkerProcess;
  redeploys: RedeployControl;
  controls: ConsoleControls;
}

/** Local mode: the page's controls, over a local worker and "Ship the next build". */
function localControls(
  settings: ConsoleSettings,
  options: StartConsoleOptions,
  parts: { hub: ConsoleHub; timeline: TimelineSource; orders: OrdersSource; client: Client; lambda: LambdaClient },
): LocalControls {
  const { hub, orders, client } = parts;
  const worker = localWorker(settings, options, hub, parts.timeline);
  const redeploys = new RedeployControl({
    hub,
    lambda: parts.lambda,
    connection: client.connection,
    namespace: settings.temporal.namespace,
    functionName: settings.functionName,
    deploymentName: resolveDeploymentName({ ...process.env, ...options.workerEnv }),
    workDir: options.releaseDir ?? path.join(DATA_DIR, 'console'),
    refreshMs: CONSOLE_VERSIONS_REFRESH_MS,
  });
  const controls: ConsoleControls = {
    submit: async (scenario, count) => {
      const ids = await submitOrders(client, settings.taskQueue, scenario, count);
      ids.forEach((id) => orders.watch(id));
      return ids;
    },
    cancel: (workflowId, reason) => cancelOrder(client, workflowId, reason),
    worker: { start: () => worker.start(), kill: (signal) => worker.kill(signal) },
    redeploy: { shipNext: (from) => redeploys.shipNext(from) },
  };
  return { worker, redeploys, controls };
}

/** Cloud mode watches only; the Lambda identities that ran steps come from the orders' histories. Returns the unsubscribe. */
function watchOnly(hub: ConsoleHub): () => void {
  hub.setRedeploy({
    state: 'idle',
    lines: [],
    versions: [],
    disabledReason: 'watching only (cloud mode): ship a new build with npm run redeploy (docs/deploy-to-aws.md)',
  });
  const seen = new Set<string>();
  return hub.subscribe((message) => {
    if (message.type !== 'orders') return;
    const before = seen.size;
    for (const order of message.orders) {
      for (const a of [...order.steps, ...order.compensations])
        if (a.worker?.includes('@arn:aws:lambda:')) seen.add(a.worker);
    }
    if (seen.size !== before) hub.updateWorkers({ lambdaIdentities: [...seen] });
  });
}

async function listen(
  settings: ConsoleSettings,
  options: StartConsoleOptions,
  hub: ConsoleHub,
  controls: ConsoleControls | undefined,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = createConsoleServer({
    hub,
    bundle: await buildWebBundle(),
    token: newRunToken(),
    title: `ShopFlow console (${settings.mode})`,
    controls,
    onNextAct: options.onNextAct,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? CONSOLE_DEFAULT_PORT });
  const port = (app.server.address() as { port: number }).port;
  return { app, url: `http://127.0.0.1:${port}` };
}

export async function startConsole(options: StartConsoleOptions = {}): Promise<RunningConsole> {
  const settings = resolveSettings(options);
  const { mode, temporal, functionName } = settings;
  const aws = openAwsClients(settings, options);
  const client: Client = await connectClient(temporal);
  const hub = newHub(settings, options);
  const reports = aws.logs && new ReportLogReader(aws.logs, functionName, settings.ordersSince.getTime());
  const timeline = timelineSource(settings, hub, reports);
  const orders = new OrdersSource({
    client,
    hub,
    webUiUrl: (id) => workflowUrl(settings.uiBase, temporal.namespace, id),
    since: settings.ordersSince,
    onOrderRead: timeline.onOrderRead,
  });
  const metrics = metricsSource(settings, aws, hub, timeline, reports);
  const environments =
    mode === 'local' && settings.awsEndpoint
      ? new LambdaEnvironmentsSource(settings.awsEndpoint, functionName, hub)
      : undefined;
  const local =
    mode === 'local'
      ? localControls(settings, options, { hub, timeline, orders, client, lambda: aws.lambda })
      : undefined;
  const stopWatching = local ? undefined : watchOnly(hub);
  const { worker, redeploys } = local ?? {};

  const { app, url } = await listen(settings, options, hub, local?.controls);
  orders.start();
  timeline.start();
  metrics.start();
  environments?.start();
  redeploys?.start();
  if (options.startWorker && worker) await worker.start();
  settings.log(`Presenter console (${mode}): ${url}  [Temporal ${temporal.summary}; Lambda ${functionName}]`);

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
        stopWatching?.();
        await client.connection.close();
        aws.cloudwatch.destroy();
        aws.lambda.destroy();
        aws.logs?.destroy();
      })()),
  };
}
