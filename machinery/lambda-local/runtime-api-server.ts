/**
 * The Lambda Runtime API for one execution environment (documented at
 * docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): the runtime inside the environment asks for the next
 * event and reports the result. One server per environment, on 127.0.0.1, as AWS_LAMBDA_RUNTIME_API. It answers
 * only requests that name it as Host (127.0.0.1:port, as the runtime clients send) and carry no Origin header: no
 * web page, directly or by DNS rebinding, can take an event or post a result. A secret path or token is not
 * possible: AWS's runtime client (aws-lambda-ric) takes AWS_LAMBDA_RUNTIME_API as host:port and builds the paths.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { refuseForeignRequest } from './request-guard';

export interface RuntimeEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  functionArn: string;
}

export type RuntimeReport =
  | { kind: 'response'; requestId: string; body: Buffer }
  | { kind: 'error'; requestId: string; body: Buffer; errorType: string }
  | { kind: 'init-error'; body: Buffer; errorType: string };

export interface RuntimeApiHandlers {
  /** The runtime is waiting for an event: the environment is idle from here on (and can be frozen). */
  onWaiting(): void;
  /** The runtime asked for its next event (its first ask ends the cold start's init, event queued or not). */
  onNextRequested?(): void;
  onReport(report: RuntimeReport): void;
}

const PREFIX = '/2018-06-01/runtime';

/**
 * The body and its full size; past `keep` bytes the rest is counted, not kept, so a runtime posting an endless
 * response cannot fill the service's memory (it is refused by size anyway).
 */
function readBody(req: http.IncomingMessage, keep: number): Promise<{ body: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if (size <= keep) chunks.push(c);
      size += c.length;
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), size }));
    req.on('error', reject);
  });
}

export class RuntimeApiServer {
  private readonly server: http.Server;
  private waiting?: http.ServerResponse;
  private queued?: RuntimeEvent;
  private inFlight?: string;

  constructor(
    private readonly handlers: RuntimeApiHandlers,
    private readonly maxResponseBytes: number,
  ) {
    this.server = http.createServer((req, res) => void this.route(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hands the runtime its next event: now if it is waiting, or as soon as it asks. */
  deliver(event: RuntimeEvent): void {
    this.queued = event;
    if (this.waiting) this.flush(this.waiting);
  }

  private port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): void {
    this.waiting?.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }

  private flush(res: http.ServerResponse): void {
    const event = this.queued!;
    this.queued = undefined;
    this.waiting = undefined;
    this.inFlight = event.requestId;
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': event.requestId,
      'lambda-runtime-deadline-ms': String(event.deadlineMs),
      'lambda-runtime-invoked-function-arn': event.functionArn,
      'lambda-runtime-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${event.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    res.end(event.payload);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '';
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // Only the environment's runtime: it names this server as AWS_LAMBDA_RUNTIME_API gives it, and sends no Origin.
    const refused = refuseForeignRequest(
      req.headers,
      this.port(),
      'this Runtime API',
      "only the runtime inside this function's execution environment calls it",
    );
    if (refused) return reply(403, { errorMessage: refused.message, errorType: 'AccessDenied' });
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
      this.waiting = res;
      this.handlers.onNextRequested?.();
      if (this.queued) this.flush(res);
      else this.handlers.onWaiting();
      return;
    }
    const { body, size } = await readBody(req, this.maxResponseBytes);
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && match) {
      const [, requestId, outcome] = match;
      if (requestId !== this.inFlight)
        return reply(400, { errorMessage: `unknown request id ${requestId}`, errorType: 'InvalidRequestID' });
      this.inFlight = undefined;
      if (outcome === 'response' && size > this.maxResponseBytes) {
        reply(413, {
          errorMessage: 'Response payload size exceeded maximum allowed payload size',
          errorType: 'RequestEntityTooLarge',
        });
        const tooLarge = JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${this.maxResponseBytes} bytes).`,
        });
        return this.handlers.onReport({
          kind: 'error',
          requestId,
          body: Buffer.from(tooLarge),
          errorType: 'Function.ResponseSizeTooLarge',
        });
      }
      reply(202, { status: 'OK' });
      if (outcome === 'response') return this.handlers.onReport({ kind: 'response', requestId, body });
      const errorType = String(req.headers['lambda-runtime-function-error-type'] ?? 'Unhandled');
      return this.handlers.onReport({ kind: 'error', requestId, body, errorType });
    }
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      reply(202, { status: 'OK' });
      return this.handlers.onReport({
        kind: 'init-error',
        body,
        errorType: String(req.headers['lambda-runtime-function-error-type'] ?? 'Runtime.InitError'),
      });
    }
    reply(404, { errorMessage: `unknown Runtime API path ${req.method} ${url}`, errorType: 'NotFound' });
  }
}
