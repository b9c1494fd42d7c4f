/** What the console server sends the page (Server-Sent Events) and accepts from it: plain types, shared by both. */

import type { OrderProgress } from '../client/order-progress';
import type { Scenario } from '../domain/scenarios';
import type { TimelineView } from './timeline/timeline-types';

export type ConsoleMode = 'local' | 'cloud';

export interface OrderView extends OrderProgress {
  /** The order in the Temporal Web UI. */
  webUiUrl: string;
}

export type LocalWorkerState = 'not started' | 'starting' | 'running' | 'draining' | 'killed' | 'stopped' | 'failed';

export interface LocalWorkerView {
  state: LocalWorkerState;
  pid?: number;
  /** Whether this console may start or stop it (only a worker it started itself). */
  controllable: boolean;
  detail?: string;
}

export type EnvironmentState = 'cold start' | 'busy' | 'idle' | 'frozen' | 'gone';

export interface EnvironmentView {
  id: string;
  pid?: number;
  state: EnvironmentState;
  invocations: number;
  /** The request it runs now (busy), or ran last. */
  requestId?: string;
  since: string;
}

export interface WorkersView {
  localWorker?: LocalWorkerView;
  /** Local mode: the local Lambda service's environments of the function (gone ones linger a while). */
  environments?: EnvironmentView[];
  /** Local mode: which environment ran which request (the Lambda worker's identity starts with the request id). */
  requestEnvironments?: Record<string, string>;
  /** Cloud mode: the Lambda identities seen in the orders' histories, and CloudWatch's concurrency. */
  lambdaIdentities?: string[];
  concurrentExecutions?: number;
}

export interface MetricsBucket {
  /** Bucket start, epoch ms. */
  t: number;
  invocations: number;
  errors: number;
  throttles: number;
  concurrency: number;
}

export interface CostLine {
  architecture: string;
  requestsUsd: number;
  computeUsd: number;
  totalUsd: number;
}

export interface CostView {
  requests: number;
  billedGbSeconds: number;
  memoryMb?: number;
  wallSeconds: number;
  lambda: CostLine[];
  alwaysOn: { label: string; usdPerHour: number; totalUsd: number };
  /** The formulas, in words, with the prices put in. */
  formulas: string[];
  priceSource: { url: string; region: string; date: string };
}

export interface MetricsView {
  functionName: string;
  bucketSeconds: number;
  source: string;
  buckets: MetricsBucket[];
  cost: CostView;
  error?: string;
}

export interface LogEntry {
  at: string;
  kind: 'kill' | 'start' | 'cold start' | 'retry' | 'compensation' | 'order' | 'control' | 'lambda' | 'error' | 'info';
  text: string;
}

export interface ConsoleHello {
  mode: ConsoleMode;
  functionName: string;
  temporal: string;
  namespace: string;
  webUi: string;
  scenarios: { name: string; description: string }[];
  limits: { minOrders: number; maxOrders: number };
  controls: boolean;
  /** The demo drives the page: a "Next act" button appears while it waits. */
  story: boolean;
}

/** The demo's current act, shown above the board. */
export interface ActView {
  number?: number;
  title: string;
  description?: string;
  /** True while the demo waits for Enter or the page's "Next act" button. */
  waitingForNext: boolean;
}

/** One version of the worker deployment, as `npm run redeploy` prints it (machinery/deployment/version-drainage). */
export interface VersionView {
  buildId: string;
  /** The server's words: CURRENT, RAMPING, DRAINING, DRAINED, INACTIVE. */
  status: string;
  drainage?: string;
  openOrders: number;
  /** The Lambda version registered for it (its qualified ARN), if any. */
  functionArn?: string;
}

/** "Ship the next build" (local mode): the redeploy under way or the last one, and the versions now. */
export interface RedeployView {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Who started the redeploy under way or the last one: the page, or the demo's act 5. */
  by?: string;
  /** The Current Version the next build follows, and that next build id: the button names them. */
  currentBuildId?: string;
  nextBuildId?: string;
  /** Why the button is disabled, when it is. */
  disabledReason?: string;
  lines: string[];
  startedAt?: string;
  seconds?: number;
  error?: string;
  versions: VersionView[];
}

export type ConsoleMessage =
  | { type: 'hello'; hello: ConsoleHello }
  | { type: 'orders'; orders: OrderView[] }
  | { type: 'workers'; workers: WorkersView }
  | { type: 'metrics'; metrics: MetricsView }
  | { type: 'log'; entries: LogEntry[] }
  | { type: 'act'; act: ActView }
  | { type: 'redeploy'; redeploy: RedeployView }
  | { type: 'timeline'; timeline: TimelineView };

export interface SubmitOrdersRequest {
  scenario: string;
  count: number;
}

export interface ControlReply {
  ok: boolean;
  message: string;
  workflowIds?: string[];
}

/** What the controls do; absent in cloud mode, where the console only watches. */
export interface ConsoleControls {
  submit(scenario: Scenario, count: number): Promise<string[]>;
  cancel(workflowId: string, reason: string | undefined): Promise<string>;
  /** Only a worker the console (or the demo) started itself. */
  worker?: { start(): Promise<void>; kill(signal: 'SIGKILL' | 'SIGINT'): number };
  /** "Ship the next build" after the Current Version `from`; resolves once it has started (it runs on). */
  redeploy?: { shipNext(from: string): Promise<string> };
}
