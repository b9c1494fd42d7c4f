/**
 * A guard in front of a local server that cannot check requests itself (moto's server: no Host check, and CORS open
 * to every origin). The server listens on a Unix socket in a folder only this user can enter; the guard listens on
 * 127.0.0.1 and forwards a request only when it names the guard as Host and carries no Origin header (the rules of
 * machinery/lambda-local/request-guard.ts). Anything else gets 403 in DynamoDB's error shape and never reaches the server.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { foreignRequestProblem } from '../lambda-local/request-guard';

export interface LoopbackGuard {
  port: number;
  close(): Promise<void>;
}

export interface LoopbackGuardOptions {
  /** The Unix socket the guarded server listens on. */
  socketPath: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Named in refusals, e.g. "moto's DynamoDB server". */
  service: string;
  /** Other loopback ports that forward to this one unchanged (a TCP front): their Host is accepted too. */
  alsoServes?: readonly number[];
}

export async function startLoopbackGuard(options: LoopbackGuardOptions): Promise<LoopbackGuard> {
  const server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    const problem = foreignRequestProblem(req.headers, [port, ...(options.alsoServes ?? [])], options.service);
    if (problem) {
      const body = JSON.stringify({ __type: 'AccessDeniedException', message: problem });
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': 'AccessDeniedException' });
      return void res.end(body);
    }
    const upstream = http.request(
      { socketPath: options.socketPath, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${options.service} is not answering on ${options.socketPath}: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
