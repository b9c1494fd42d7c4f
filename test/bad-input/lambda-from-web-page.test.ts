/**
 * A web page cannot use the local Lambda service: real Chromium loads a page from another loopback port (another
 * origin, as any site the presenter has open would be) that sends the no-cors requests a page may send without a
 * CORS preflight: a text/plain CreateFunction with a zip, then Invokes of that function and of one that exists. The
 * browser delivers them (each gets the service's 403), and afterwards the AWS SDK sees no new function, and nothing
 * ran. Then the DNS-rebinding case: the browser believes a foreign name is the service's address.
 */

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ListFunctionsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Browser } from 'playwright-core';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { launchChromium } from '../support/browser';
import { createTestFunction, handlerZip, localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
let browser: Browser;
let pageServer: http.Server;
let pageUrl: string;
let victim: string;
let marker: string;

/** The attacking page: no-cors fetches, which need no preflight and whose replies the page cannot read. */
function attackPage(endpoint: string, zipBase64: string): string {
  const create = JSON.stringify({
    FunctionName: 'from-web-page',
    Runtime: 'nodejs22.x',
    Role: 'arn:aws:iam::000000000000:role/any',
    Handler: 'index.handler',
    Code: { ZipFile: zipBase64 },
  });
  const append = JSON.stringify({ action: 'append', file: marker });
  const attempts = [
    ['CreateFunction', `${endpoint}/2015-03-31/functions`, create],
    ['Invoke the new function', `${endpoint}/2015-03-31/functions/from-web-page/invocations`, append],
    ['Invoke an existing function', `${endpoint}/2015-03-31/functions/${victim}/invocations`, append],
  ];
  return `<!doctype html><title>any site</title><script>
    (async () => {
      const sent = [];
      for (const [name, url, body] of ${JSON.stringify(attempts)}) {
        try {
          await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
          sent.push(name);
        } catch (err) {
          sent.push(name + ' failed: ' + err.message);
        }
      }
      window.attempted = sent;
    })();
  </script>`;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'web-page-'));
  marker = path.join(dir, 'ran.txt');
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
  victim = await createTestFunction(lambda, dir);
  const html = attackPage(local.endpoint, (await handlerZip(dir, 'evil')).toString('base64'));
  pageServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  pageServer?.close();
  lambda?.destroy();
  await local?.close();
});

test('a page from another origin sends CreateFunction and Invoke: each is refused, nothing is created, nothing runs', async () => {
  const page = await browser.newPage();
  const answered: string[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(local.endpoint))
      answered.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
  });
  await page.goto(pageUrl);
  await page.waitForFunction(() => (globalThis as unknown as { attempted?: string[] }).attempted?.length === 3);
  expect(await page.evaluate(() => (globalThis as unknown as { attempted: string[] }).attempted)).toEqual([
    'CreateFunction',
    'Invoke the new function',
    'Invoke an existing function',
  ]);
  // The browser did deliver them: the service answered each with its refusal.
  expect(answered).toEqual([
    'POST /2015-03-31/functions 403',
    'POST /2015-03-31/functions/from-web-page/invocations 403',
    `POST /2015-03-31/functions/${victim}/invocations 403`,
  ]);
  await page.close();

  const { Functions } = await lambda.send(new ListFunctionsCommand({}));
  expect(Functions?.map((f) => f.FunctionName)).toEqual([victim]);
  expect(local.metrics.invocationsOf(victim)).toHaveLength(0);
  expect(local.metrics.invocationsOf('from-web-page')).toHaveLength(0);
  expect(local.service.environmentsOf(victim)).toHaveLength(0);
  expect(fs.existsSync(marker)).toBe(false);
});

test('DNS rebinding: a page whose own name resolves to the service reads only the refusal', async () => {
  const rebound = await launchChromium({ hostResolverRules: 'MAP rebound.example 127.0.0.1' });
  try {
    const page = await rebound.newPage();
    const response = await page.goto(`http://rebound.example:${local.port}/2015-03-31/functions`);
    expect(response?.status()).toBe(403);
    const body = JSON.parse(await page.innerText('body')) as { message: string };
    expect(body.message).toBe(
      `Host "rebound.example:${local.port}" is not the local Lambda service: send requests to ` +
        `http://127.0.0.1:${local.port} (requests naming another host, as a DNS-rebinding web page does, are refused)`,
    );
    expect(JSON.stringify(body)).not.toContain(victim);
  } finally {
    await rebound.close();
  }
});
