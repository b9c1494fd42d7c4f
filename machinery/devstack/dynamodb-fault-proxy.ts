/**
 * A proxy in front of a DynamoDB endpoint (moto's server) that disturbs chosen requests the ways DynamoDB and the
 * network do, and forwards everything else:
 * - `refuse`: answers as DynamoDB does when it refuses (access denied, throttling); nothing reaches the table;
 * - `commit-then-drop`: forwards the request, lets DynamoDB commit it, then cuts the connection before the reply;
 * - `commit-then-500`: forwards it, lets it commit, then answers 500 InternalServerError.
 * The last two are the ambiguous outcomes: the write landed, the writer cannot know. moto checks no IAM policy, never
 * throttles and never loses a reply, so this is how the real SDK meets those answers. It listens on loopback only,
 * and, as the guard in front of moto does, answers only requests that name it as Host and carry no Origin: a web page
 * must not reach the table through it.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { foreignRequestProblem } from '../lambda-local/request-guard';

const JSON_1_0 = 'application/x-amz-json-1.0';

export type FaultAction =
  'forward' | 'commit-then-drop' | 'commit-then-500' | { refuse: { errorType: string; message: string } };

export interface FaultProxy {
  endpoint: string;
  /** Requests that were disturbed, by operation (PutItem, UpdateItem...) and action, in order. */
  disturbed: Array<{ operation: string; action: Exclude<FaultAction, 'forward'> }>;
  close(): Promise<void>;
}

export async function startDynamoDbFaultProxy(options: {
  target: string;
  /** Chooses per request; `operation` is the X-Amz-Target's operation name. */
  decide: (operation: string) => FaultAction;
}): Promise<FaultProxy> {
  const disturbed: FaultProxy['disturbed'] = [];
  const server = http.createServer((req, res) => {
    const problem = foreignRequestProblem(req.headers, [(server.address() as AddressInfo).port], 'the fault proxy');
    if (problem) {
      res.writeHead(403, { 'content-type': JSON_1_0 });
      return void res.end(JSON.stringify({ __type: 'AccessDeniedException', message: problem }));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const action = options.decide(operation);
      if (action !== 'forward') disturbed.push({ operation, action });
      if (typeof action === 'object') {
        res.writeHead(400, { 'content-type': JSON_1_0, 'x-amzn-requestid': `fault-${disturbed.length}` });
        const type = `com.amazonaws.dynamodb.v20120810#${action.refuse.errorType}`;
        res.end(JSON.stringify({ __type: type, message: action.refuse.message }));
        return;
      }
      forward(options.target, req, Buffer.concat(chunks))
        .then(({ status, contentType, body }) => {
          if (action === 'commit-then-drop') return void res.socket?.destroy();
          if (action === 'commit-then-500') {
            res.writeHead(500, { 'content-type': JSON_1_0 });
            const type = 'com.amazonaws.dynamodb.v20120810#InternalServerError';
            return void res.end(JSON.stringify({ __type: type, message: 'Internal server error' }));
          }
          res.writeHead(status, { 'content-type': contentType });
          res.end(body);
        })
        .catch((err: Error) => {
          res.writeHead(502);
          res.end(err.message);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    disturbed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function forward(target: string, req: http.IncomingMessage, body: Buffer) {
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length' && k !== 'connection'),
  ) as Record<string, string>;
  const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
  return {
    status: answer.status,
    contentType: answer.headers.get('content-type') ?? JSON_1_0,
    body: Buffer.from(await answer.arrayBuffer()),
  };
}
