/** The console's HTTP face (fastify, 127.0.0.1 only): the page, its live feed (Server-Sent Events) and controls. */

import Fastify, { type FastifyInstance } from 'fastify';
import type { ConsoleHub } from './console-hub';
import { registerControlRoutes } from './control-routes';
import type { ConsoleControls, ConsoleMessage, ControlReply } from './console-types';

export type { ConsoleControls };
import { RequestGuard } from './request-guard';
import { indexHtml, type WebBundle } from './web-bundle';

export interface ConsoleServerOptions {
  hub: ConsoleHub;
  bundle: WebBundle;
  token: string;
  title: string;
  controls?: ConsoleControls;
  /** The demo's "Next act" (as Enter in its terminal); absent when no story is being told. */
  onNextAct?: () => void;
}

const SSE_KEEPALIVE_MS = 15_000;

export function createConsoleServer(options: ConsoleServerOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    // Open event streams must not hold up a shutdown.
    forceCloseConnections: true,
    // The route schemas check types as they are: no "3" taken for a count.
    ajv: { customOptions: { coerceTypes: false } },
  });
  guardEveryRequest(app, options.token);
  servePage(app, options);
  serveEventStream(app, options.hub);
  serveState(app, options.hub);
  serveNextAct(app, options);
  registerControlRoutes(app, options.hub, options.controls);
  return app;
}

/** Host first, then (for anything but a read) Origin, JSON and token: all before a body is looked at. */
function guardEveryRequest(app: FastifyInstance, token: string): void {
  const guard = new RequestGuard(() => {
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }, token);
  app.addHook('onRequest', async (request, reply) => {
    const problem = guard.checkHost(request.headers.host);
    if (problem) return reply.code(403).type('text/plain').send(problem);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const refused = guard.checkControl(request.headers);
      if (refused) return reply.code(403).send({ ok: false, message: refused } satisfies ControlReply);
    }
  });
}

/** The page (with its token), its script and styles. */
function servePage(app: FastifyInstance, options: ConsoleServerOptions): void {
  const page = indexHtml(options.token, options.title);
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
      )
      .header('cache-control', 'no-store')
      .send(page),
  );
  // No icon: answered, so the browser logs no 404 for it.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  for (const [name, file] of options.bundle.files)
    app.get(name, async (_request, reply) => reply.type(file.type).send(file.body));
}

/** The live feed: every hub message as a Server-Sent Event, with a keep-alive comment. */
function serveEventStream(app: FastifyInstance, hub: ConsoleHub): void {
  app.get('/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (message: ConsoleMessage) => res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
    const unsubscribe = hub.subscribe(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
}

function serveState(app: FastifyInstance, hub: ConsoleHub): void {
  app.get('/api/state', async () => ({
    orders: hub.allOrders(),
    workers: hub.currentWorkers(),
    metrics: hub.currentMetrics(),
    log: hub.logEntries(),
    redeploy: hub.currentRedeploy(),
  }));
}

/** The demo's "Next act" button; it reads no body (the page sends {}). */
function serveNextAct(app: FastifyInstance, options: ConsoleServerOptions): void {
  const { hub } = options;
  app.post('/api/next-act', async (_request, reply) => {
    if (!options.onNextAct)
      return reply.code(404).send({
        ok: false,
        message: 'no demo is being told: "Next act" is for npm run demo -- --interactive',
      } satisfies ControlReply);
    if (!hub.currentAct()?.waitingForNext)
      return reply
        .code(409)
        .send({ ok: false, message: 'the demo is not waiting for the next act yet' } satisfies ControlReply);
    options.onNextAct();
    hub.record('control', 'next act (from the page)');
    return { ok: true, message: 'next act' } satisfies ControlReply;
  });
}
