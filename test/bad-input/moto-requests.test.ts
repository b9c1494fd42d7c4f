/**
 * moto's DynamoDB server, as devstack starts it, is closed to web pages and to DNS rebinding: moto checks no Host and
 * allows every origin by CORS, so it listens on a Unix socket only this user can reach, behind a loopback guard.
 * The SDK works through it; a foreign Host or an Origin header is refused before moto sees it (a no-cors POST to
 * /moto-api/reset would otherwise wipe every table), and no CORS header is ever granted.
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { startMotoServer, type MotoServer } from '../../machinery/devstack/moto-server';
import { startRestartableMoto } from '../../machinery/devstack/restartable-moto';
import { testEnv } from '../support/test-env';

let moto: MotoServer;
let dynamodb: DynamoDBClient;
beforeAll(async () => {
  moto = await startMotoServer();
  dynamodb = localAwsClient(DynamoDBClient, moto.endpoint, { maxAttempts: 1 });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'kept',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}, 180_000);
afterAll(async () => {
  dynamodb?.destroy();
  await moto?.stop();
});

function raw(method: string, urlPath: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: moto.port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const tables = async () => (await dynamodb.send(new ListTablesCommand({}))).TableNames;

const ROWS: [string, Record<string, string>, string][] = [
  [
    'a foreign Host (DNS rebinding)',
    { host: 'rebound.example:8000' },
    `Host "rebound.example:8000" is not moto's DynamoDB server: send requests to http://127.0.0.1:PORT (requests naming another host, as a DNS-rebinding web page does, are refused)`,
  ],
  [
    "a web page's no-cors POST (Origin header)",
    { origin: 'http://evil.example', 'content-type': 'text/plain' },
    `moto's DynamoDB server takes no requests from web pages (Origin "http://evil.example"): use an AWS SDK or the AWS CLI, which send no Origin header`,
  ],
];

test.each(ROWS)('POST /moto-api/reset with %s is refused; the tables stay', async (_name, headers, message) => {
  const reply = await raw('POST', '/moto-api/reset', { host: `127.0.0.1:${moto.port}`, ...headers });
  expect(reply.status).toBe(403);
  expect(JSON.parse(reply.body)).toEqual({
    __type: 'AccessDeniedException',
    message: message.replace('PORT', String(moto.port)),
  });
  expect(await tables()).toEqual(['kept']);
});

test('no CORS is granted: a preflight from a page is refused, and SDK replies carry no Access-Control header', async () => {
  const preflight = await raw('OPTIONS', '/', {
    host: `127.0.0.1:${moto.port}`,
    origin: 'http://evil.example',
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'x-amz-target',
  });
  expect(preflight.status).toBe(403);
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  const direct = await raw('GET', '/moto-api/', { host: `127.0.0.1:${moto.port}` });
  expect(direct.status).toBe(200);
  expect(direct.headers['access-control-allow-origin']).toBeUndefined();
});

test("moto's own socket is in a folder only this user can enter", () => {
  const listening = fs
    .readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).at(-1) ?? '')
    .filter((p) => p.includes('shopflow-moto-') && p.endsWith('moto.sock'));
  expect(listening.length).toBeGreaterThan(0);
  for (const socket of listening) {
    const folder = socket.slice(0, socket.lastIndexOf('/'));
    if (!fs.existsSync(folder)) continue;
    expect(fs.statSync(folder).mode & 0o077).toBe(0);
  }
});

test("behind restartable-moto's TCP front, the guard takes the front's Host, and a restart keeps the tables", async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'moto-front-'));
  const front = await startRestartableMoto(dir);
  const client = localAwsClient(DynamoDBClient, front.endpoint, { maxAttempts: 1 });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: 'durable',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await front.restart();
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['durable']);
  } finally {
    client.destroy();
    await front.stop();
  }
}, 120_000);
