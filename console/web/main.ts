/** The presenter console's page: one Server-Sent Events stream feeds every panel. */

import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { ConsoleHello, ConsoleMessage, OrderView, WorkersView } from '../console-types';
import { renderBoard } from './board';
import { renderChart } from './chart';
import { cancelOrder, postControl, setUpControls } from './controls';
import { renderCost } from './cost-panel';
import { byId } from './dom';
import { appendLog } from './event-log';
import { PresenterLayout } from './presenter-layout';
import { StreamNotice } from './stream-notice';
import { renderTimeline, setUpTimeline } from './timeline-panel';
import { setUpWorkloadPanel } from './workload-panel';
import { renderVersions, setUpVersionsPanel } from './versions-panel';
import { renderWorkers } from './workers-panel';

const orders = new Map<string, OrderView>();
let workers: WorkersView = {};
let hello: ConsoleHello | undefined;
let boardQueued = false;
const layout = new PresenterLayout();
const notice = new StreamNotice();

function redrawBoard(): void {
  if (boardQueued) return;
  boardQueued = true;
  requestAnimationFrame(() => {
    boardQueued = false;
    renderBoard(orders, workers.requestEnvironments ?? {}, hello?.controls ?? false, cancelOrder);
  });
}

function handle(message: ConsoleMessage): void {
  switch (message.type) {
    case 'hello':
      hello = message.hello;
      byId('context').textContent = `${hello.mode} mode · Temporal ${hello.temporal} · Lambda ${hello.functionName}`;
      document.body.dataset.mode = hello.mode;
      setUpControls(hello);
      break;
    case 'orders':
      for (const order of message.orders) orders.set(order.workflowId, order);
      redrawBoard();
      break;
    case 'workers':
      workers = message.workers;
      renderWorkers(workers, hello);
      redrawBoard();
      break;
    case 'metrics':
      renderChart(message.metrics);
      renderCost(message.metrics.cost);
      break;
    case 'log':
      appendLog(message.entries);
      break;
    case 'act': {
      const { act } = message;
      byId('act').hidden = false;
      byId('act-title').textContent = `${act.number ? `Act ${act.number}: ` : ''}${act.title}`;
      const description = byId('act-description');
      description.textContent = act.description ?? '';
      description.title = act.description ?? '';
      byId('next-act').hidden = !(act.waitingForNext && hello?.story);
      layout.setAct(act.number);
      break;
    }
    case 'redeploy':
      renderVersions(message.redeploy);
      break;
    case 'timeline':
      renderTimeline(message.timeline);
      break;
  }
}

function connect(): void {
  const status = byId('connection');
  status.textContent = 'connecting…';
  notice.waiting();
  const events = new EventSource('/events');
  for (const type of ['hello', 'orders', 'workers', 'metrics', 'log', 'act', 'redeploy', 'timeline'] as const) {
    events.addEventListener(type, (event) => {
      notice.received();
      handle(JSON.parse((event as MessageEvent<string>).data) as ConsoleMessage);
    });
  }
  events.onopen = () => {
    status.textContent = 'live';
    status.className = 'pill live';
    document.body.dataset.live = 'yes';
  };
  events.onerror = () => {
    // EventSource reconnects by itself; a fresh 'hello' then resends everything.
    status.textContent = 'reconnecting… (is npm run console still running?)';
    status.className = 'pill down';
    delete document.body.dataset.live;
    byId('log').replaceChildren();
    notice.waiting();
  };
}

layout.setUp();
byId('next-act').addEventListener('click', () => void postControl('/api/next-act', {}));
setUpVersionsPanel();
setUpTimeline();
setUpWorkloadPanel();
connect();
