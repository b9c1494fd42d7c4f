/**
 * The console's control routes through fastify, on a port of their own (no dev server): the guard answers before the body is looked at,
 * the route schemas refuse bad bodies in the console's own words with a 4xx, and nothing runs for a refused request.
 */

import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ConsoleHub } from '../../console/console-hub';
import { createConsoleServer, type ConsoleControls } from '../../console/console-server';
import type { WebBundle } from '../../console/web-bundle';
import { TOKEN_HEADER } from '../../console/request-guard';

const TOKEN = 'a'.repeat(48);
/** The page's headers, for a console on `port`. */
const fromPage = (port: number): Record<string, string> => ({
  host: `127.0.0.1:${port}`,
  origin: `http://127.0.0.1:${port}`,
  'content-type': 'application/json',
  [TOKEN_HEADER]: TOKEN,
});

/** What the controls were asked to do, and what the console's log recorded. */
let done: string[];
let recorded: string[];

function consoleServer(withControls = true): FastifyInstance {
  const hub = {
    record: (kind: string, line: string) => recorded.push(`${kind}: ${line}`),
    order: (id: string) => (id === 'known' ? {} : undefined),
    subscribe: () => () => {},
  } as unknown as ConsoleHub;
  const controls: ConsoleControls = {
    submit: async (scenario, count) => (done.push(`submit ${scenario} ${count}`), ['wf-1']),
    cancel: async (workflowId) => (done.push(`cancel ${workflowId}`), 'cancel requested'),
    worker: { start: async () => void done.push('start'), kill: (signal) => (done.push(`kill ${signal}`), 42) },
    redeploy: { shipNext: async (from) => (done.push(`ship ${from}`), `shipping after ${from}`) },
  };
  const bundle = { files: new Map() } as unknown as WebBundle;
  return createConsoleServer({ hub, bundle, token: TOKEN, title: 'test', ...(withControls && { controls }) });
}

/** http.request rather than fetch: it sends the Host it is given. */
function send(port: number, url: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: url, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** POSTs `body` to a fresh console; `headers` change the page's own. */
async function post(url: string, body: string, headers: Record<string, string> = {}, withControls = true) {
  const app = consoleServer(withControls);
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const reply = await send(port, url, { ...fromPage(port), ...headers }, body);
    // A foreign Host is answered in plain text; everything else as {ok, message}.
    const json = reply.text.startsWith('{') ? (JSON.parse(reply.text) as { message: string }) : undefined;
    return { status: reply.status, message: json?.message ?? reply.text };
  } finally {
    await app.close();
  }
}

beforeEach(() => {
  done = [];
  recorded = [];
});

test.each([
  [
    '/api/orders',
    '{"scenario":"happy","count":"3"}',
    /^count "3" is out of range: submit a whole number of orders from 1 to 200$/,
  ],
  ['/api/orders', '{"scenario":"happy","count":1.5}', /^count 1.5 is out of range/],
  ['/api/orders', '{"scenario":"happy","count":0}', /^count 0 is out of range/],
  [
    '/api/orders',
    '{"scenario":"free-money","count":1}',
    /^unknown scenario "free-money": choose one of happy, decline/,
  ],
  ['/api/orders', '{"count":1}', /^unknown scenario undefined: choose one of happy/],
  ['/api/orders', '[1]', /^the request body must be a JSON object, for example \{"scenario":"happy","count":1\}$/],
  ['/api/orders', 'null', /^the request body must be a JSON object/],
  [
    '/api/worker/kill',
    '{"signal":"SIGSTOP"}',
    /^signal "SIGSTOP" is not allowed: use SIGKILL \(no goodbye\) or SIGINT/,
  ],
  ['/api/worker/kill', '{}', /^signal undefined is not allowed/],
  [
    '/api/orders/known/cancel',
    JSON.stringify({ reason: 'x'.repeat(201) }),
    /^reason must be text of at most 200 characters$/,
  ],
  // 150 code points, 300 UTF-16 units: the schema lets it by, the hand check in the handler does not.
  ['/api/orders/known/cancel', JSON.stringify({ reason: '😀'.repeat(150) }), /^reason must be text of at most 200/],
  ['/api/orders/known/cancel', '{"reason":5}', /^reason must be text/],
  ['/api/redeploy', '{"from":"v2; rm -rf /"}', /^from "v2; rm -rf \/" is not a build id: send the Current Version/],
  ['/api/redeploy', '{"from":2}', /^from 2 is not a build id/],
  ['/api/redeploy', '"v2"', /^the request body must be a JSON object/],
])('POST %s %s is refused with 400 in the console words, and nothing runs', async (url, body, words) => {
  const reply = await post(url, body);
  expect(reply).toEqual({ status: 400, message: expect.stringMatching(words) });
  expect(done).toEqual([]);
  expect(recorded).toEqual([`control: refused: ${reply.message}`]);
});

test('good bodies pass the schemas and reach the controls', async () => {
  expect((await post('/api/orders', '{"scenario":"happy","count":200}')).status).toBe(200);
  expect((await post('/api/worker/kill', '{"signal":"SIGINT"}')).status).toBe(200);
  expect((await post('/api/orders/known/cancel', '{}')).status).toBe(200);
  expect((await post('/api/redeploy', '{"from":"2026-11-22.1"}')).status).toBe(200);
  expect((await post('/api/worker/start', '{}')).status).toBe(200);
  expect(done).toEqual(['submit happy 200', 'kill SIGINT', 'cancel known', 'ship 2026-11-22.1', 'start']);
});

test('the guard answers first: a foreign Host, Origin or no token gets 403 whatever the body', async () => {
  const bad = '{"scenario":"happy","count":"lots"}';
  expect(await post('/api/orders', bad, { host: 'evil.example' })).toEqual({
    status: 403,
    message: expect.stringMatching(/^Host "evil.example" is not this console/),
  });
  expect(await post('/api/orders', bad, { origin: 'http://evil.example' })).toEqual({
    status: 403,
    message: expect.stringMatching(/^Origin "http:\/\/evil.example" may not control this console/),
  });
  expect(await post('/api/orders', bad, { [TOKEN_HEADER]: 'b'.repeat(48) })).toEqual({
    status: 403,
    message: expect.stringMatching(/wrong console token/),
  });
  expect(done).toEqual([]);
  expect(recorded).toEqual([]);
});

test('without controls (cloud mode) every control route is 404 before its body is validated', async () => {
  for (const url of ['/api/orders', '/api/worker/kill', '/api/redeploy', '/api/orders/known/cancel']) {
    expect(await post(url, '[1]', {}, false)).toEqual({
      status: 404,
      message: 'controls exist only in local mode',
    });
  }
  expect(recorded).toEqual([]);
});

test('an unknown order is 404 once its body is good; a body that is not JSON gets fastify’s own 400', async () => {
  expect(await post('/api/orders/unknown/cancel', '{}')).toEqual({
    status: 404,
    message: 'no order "unknown" on the board',
  });
  expect((await post('/api/orders', '{not json')).status).toBe(400);
  expect(done).toEqual([]);
});
