/**
 * The console's live state (orders, workers, metrics, event log) and its subscribers, the open pages. Changes are
 * batched and pushed at most every CONSOLE_PUSH_INTERVAL_MS, so a burst of 200 orders is a few messages, not 200.
 */

import { CONSOLE_MAX_LOG_LINES, CONSOLE_MAX_ORDERS, CONSOLE_PUSH_INTERVAL_MS } from '../config/console';
import type {
  ActView,
  ConsoleHello,
  ConsoleMessage,
  LogEntry,
  MetricsView,
  OrderView,
  RedeployView,
  WorkersView,
} from './console-types';
import type { TimelineView } from './timeline/timeline-types';

type Subscriber = (message: ConsoleMessage) => void;

export class ConsoleHub {
  private readonly orders = new Map<string, OrderView>();
  private workers: WorkersView = {};
  private metrics?: MetricsView;
  private act?: ActView;
  private redeploy?: RedeployView;
  private timeline?: TimelineView;
  private readonly log: LogEntry[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private changedOrders = new Set<string>();
  private pendingLog: LogEntry[] = [];
  private workersChanged = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly hello: ConsoleHello) {}

  /** Everything a newly opened page needs, then every change. Returns the unsubscribe function. */
  subscribe(subscriber: Subscriber): () => void {
    subscriber({ type: 'hello', hello: this.hello });
    subscriber({ type: 'orders', orders: [...this.orders.values()] });
    subscriber({ type: 'workers', workers: this.workers });
    if (this.metrics) subscriber({ type: 'metrics', metrics: this.metrics });
    subscriber({ type: 'log', entries: [...this.log] });
    if (this.act) subscriber({ type: 'act', act: this.act });
    if (this.redeploy) subscriber({ type: 'redeploy', redeploy: this.redeploy });
    if (this.timeline) subscriber({ type: 'timeline', timeline: this.timeline });
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  order(workflowId: string): OrderView | undefined {
    return this.orders.get(workflowId);
  }

  allOrders(): OrderView[] {
    return [...this.orders.values()];
  }

  currentWorkers(): WorkersView {
    return this.workers;
  }

  currentMetrics(): MetricsView | undefined {
    return this.metrics;
  }

  logEntries(): LogEntry[] {
    return [...this.log];
  }

  updateOrder(order: OrderView): void {
    this.orders.set(order.workflowId, order);
    if (this.orders.size > CONSOLE_MAX_ORDERS) {
      const oldest = [...this.orders.values()].filter((o) => o.state !== 'RUNNING' && o.state !== 'COMPENSATING')[0];
      if (oldest) this.orders.delete(oldest.workflowId);
    }
    this.changedOrders.add(order.workflowId);
    this.schedule();
  }

  updateWorkers(patch: Partial<WorkersView>): void {
    this.workers = { ...this.workers, ...patch };
    this.workersChanged = true;
    this.schedule();
  }

  setMetrics(metrics: MetricsView): void {
    this.metrics = metrics;
    this.broadcast({ type: 'metrics', metrics });
  }

  setAct(act: ActView): void {
    this.act = act;
    this.broadcast({ type: 'act', act });
  }

  setRedeploy(redeploy: RedeployView): void {
    this.redeploy = redeploy;
    this.broadcast({ type: 'redeploy', redeploy });
  }

  setTimeline(timeline: TimelineView): void {
    this.timeline = timeline;
    this.broadcast({ type: 'timeline', timeline });
  }

  currentTimeline(): TimelineView | undefined {
    return this.timeline;
  }

  currentRedeploy(): RedeployView | undefined {
    return this.redeploy;
  }

  currentAct(): ActView | undefined {
    return this.act;
  }

  record(kind: LogEntry['kind'], text: string): void {
    const entry: LogEntry = { at: new Date().toISOString(), kind, text };
    this.log.push(entry);
    if (this.log.length > CONSOLE_MAX_LOG_LINES) this.log.shift();
    this.pendingLog.push(entry);
    this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.subscribers.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), CONSOLE_PUSH_INTERVAL_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.changedOrders.size) {
      const orders = [...this.changedOrders].map((id) => this.orders.get(id)).filter((o): o is OrderView => Boolean(o));
      this.changedOrders = new Set();
      this.broadcast({ type: 'orders', orders });
    }
    if (this.workersChanged) {
      this.workersChanged = false;
      this.broadcast({ type: 'workers', workers: this.workers });
    }
    if (this.pendingLog.length) {
      const entries = this.pendingLog;
      this.pendingLog = [];
      this.broadcast({ type: 'log', entries });
    }
  }

  private broadcast(message: ConsoleMessage): void {
    for (const subscriber of this.subscribers) subscriber(message);
  }
}
