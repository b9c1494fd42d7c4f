/**
 * A proxy in front of moto's DynamoDB that answers chosen operations as DynamoDB does when it refuses them (access
 * denied, throttling), and forwards everything else. moto checks no IAM policy on DynamoDB and never throttles, so
 * this is how the real SDK meets those answers; reads through the proxy still show the table as it is.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';

const JSON_1_0 = 'application/x-amz-json-1.0';

export interface FaultProxy {
  endpoint: string;
  /** Requests answered with the fault, by operation (PutItem, UpdateItem...). */
  refused: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(options: {
  target: string;
  /** DynamoDB's error type, e.g. AccessDeniedException or ProvisionedThroughputExceededException. */
  errorType: string;
  message: string;
  /** Operations to refuse; the others are forwarded. */
  operations: string[];
}): Promise<FaultProxy> {
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      if (options.operations.includes(operation)) {
        refused.push(operation);
        res.writeHead(400, { 'content-type': JSON_1_0, 'x-amzn-requestid': `fault-${refused.length}` });
        const type = `com.amazonaws.dynamodb.v20120810#${options.errorType}`;
        res.end(JSON.stringify({ __type: type, message: options.message }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length' && k !== 'connection'),
      ) as Record<string, string>;
      fetch(`${options.target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? JSON_1_0 });
          res.end(Buffer.from(await answer.arrayBuffer()));
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
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
