/**
 * Every local service binds 127.0.0.1 only, as the kernel sees it (not as the service prints it): the dev server
 * (gRPC, HTTP and every other port it opens, with and without the Web UI), the local Lambda service, and the
 * Runtime API server each execution environment talks to.
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startDevServer } from '../../machinery/devstack/dev-server';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { freePort } from '../../machinery/plumbing/ports';
import { writeZip } from '../../machinery/plumbing/zip';
import { listeningOn, listeningSocketsOf, pidListeningOn } from '../support/listening-sockets';
import { createFunctionAndWait } from '../support/function-zips';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'loopback-'));
});

/** GET /api/v1/namespaces on `port` naming `host` as Host (fetch may not set Host; http.get may). */
const hostStatus = (port: number, host: string) =>
  new Promise<number>((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path: '/api/v1/namespaces', headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
      .on('error', reject),
  );

const portOf = (address: string) => Number(address.split(':').pop());
const addresses = (sockets: { address: string }[]) => [...new Set(sockets.map((s) => s.address))];

test('the test dev server (headless) listens on 127.0.0.1 only, on every port it opens', () => {
  const pid = pidListeningOn(portOf(testEnv('address')));
  expect(pid).toBeDefined();
  const sockets = listeningSocketsOf(pid!);
  expect(sockets.map((s) => s.port)).toContain(portOf(testEnv('address')));
  expect(addresses(sockets)).toEqual(['127.0.0.1']);
});

test('`npm run dev-server`-style server with the Web UI: gRPC, HTTP and UI on 127.0.0.1 only; the HTTP API is closed', async () => {
  const [port, uiPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const server = await startDevServer({
    cli: testEnv('cli'),
    port,
    uiPort,
    httpPort,
    logFile: path.join(dir, 'ui-server.log'),
  });
  try {
    const sockets = listeningSocketsOf(server.process.pid!);
    expect(sockets.map((s) => s.port)).toEqual(expect.arrayContaining([port, uiPort, httpPort]));
    expect(addresses(sockets)).toEqual(['127.0.0.1']);
    // And the UI really answers there.
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    // The HTTP API is closed (nothing uses it, and it checks no Origin): its own Host and a rebound page's both get
    // 403, and so does a page's no-cors text/plain POST; the Web UI still reads the server (through gRPC).
    expect(await hostStatus(httpPort, `127.0.0.1:${httpPort}`)).toBe(403);
    expect(await hostStatus(httpPort, 'rebound.example')).toBe(403);
    const fromPage = await fetch(`http://127.0.0.1:${httpPort}/api/v1/namespaces/default/workflows/x/terminate`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: '{}',
    });
    expect(fromPage.status).toBe(403);
    const viaUi = await fetch(`http://127.0.0.1:${uiPort}/api/v1/namespaces`);
    expect(viaUi.status).toBe(200);
    expect(JSON.stringify(await viaUi.json())).toContain('"name":"default"');
  } finally {
    await server.stop();
  }
});

test('the local Lambda service listens on 127.0.0.1 only', () => {
  const sockets = listeningOn(Number(new URL(testEnv('lambdaEndpoint')).port));
  expect(sockets.length).toBeGreaterThan(0);
  expect(addresses(sockets)).toEqual(['127.0.0.1']);
});

test("each execution environment's Runtime API server listens on 127.0.0.1 only", async () => {
  const source = path.join(dir, 'index.js');
  fs.writeFileSync(source, 'exports.handler = async () => ({ runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API });\n');
  const zipFile = path.join(dir, 'runtime-api.zip');
  await writeZip([{ name: 'index.js', file: source }], zipFile);
  const lambda = localAwsClient(LambdaClient, testEnv('lambdaEndpoint'));
  try {
    const name = uniqueName('loopback');
    await createFunctionAndWait(lambda, {
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: 'arn:aws:iam::000000000000:role/local',
      Handler: 'index.handler',
      Code: { ZipFile: fs.readFileSync(zipFile) },
    });
    const reply = await lambda.send(new InvokeCommand({ FunctionName: name }));
    const { runtimeApi } = JSON.parse(new TextDecoder().decode(reply.Payload)) as { runtimeApi: string };
    expect(runtimeApi).toMatch(/^127\.0\.0\.1:\d+$/);
    const sockets = listeningOn(portOf(runtimeApi));
    expect(sockets.length).toBeGreaterThan(0);
    expect(addresses(sockets)).toEqual(['127.0.0.1']);
  } finally {
    lambda.destroy();
  }
});
