/** The console's checks and arithmetic: control input bounds, command line, the cost formula, the request guard. */

import {
  ControlInputError,
  parseCancelRequest,
  parseKillRequest,
  parseRedeployRequest,
  parseSubmitRequest,
} from '../../console/actions/control-input';
import { UsageError } from '../../client/command-line';
import { parseConsoleArgs } from '../../console/console-args';
import { alwaysOnPrice, computeCost } from '../../console/cost';
import { RequestGuard, TOKEN_HEADER } from '../../console/request-guard';
import { LAMBDA_PRICES } from '../../config/prices';

describe('control input', () => {
  test.each([0, -1, 201, 1e6, 1.5, '3', null, Number.NaN])('count %p is refused with the allowed range', (count) => {
    expect(() => parseSubmitRequest({ scenario: 'happy', count })).toThrow(
      /out of range: submit a whole number of orders from 1 to 200/,
    );
  });
  test('unknown scenarios and non-object bodies are refused with what to send', () => {
    expect(() => parseSubmitRequest({ scenario: 'free-money', count: 1 })).toThrow(
      /unknown scenario "free-money": choose one of happy/,
    );
    expect(() => parseSubmitRequest([1])).toThrow(ControlInputError);
    expect(() => parseSubmitRequest(null)).toThrow(/must be a JSON object/);
  });
  test.each([undefined, '', 'v2 ', 'v2;rm', '../v2', 42, 'x'.repeat(256)])(
    'redeploy from %p is refused: it is not a build id',
    (from) => {
      expect(() => parseRedeployRequest({ from })).toThrow(
        /is not a build id: send the Current Version the page shows/,
      );
    },
  );
  test('a redeploy request names the Current Version the page showed', () => {
    expect(parseRedeployRequest({ from: 'v2' })).toEqual({ from: 'v2' });
    expect(parseRedeployRequest({ from: '2026-11-22.1' })).toEqual({ from: '2026-11-22.1' });
    expect(() => parseRedeployRequest('v2')).toThrow(/must be a JSON object/);
  });
  test('good input passes', () => {
    expect(parseSubmitRequest({ scenario: 'slow', count: 200 })).toEqual({ scenario: 'slow', count: 200 });
    expect(parseKillRequest({ signal: 'SIGINT' })).toEqual({ signal: 'SIGINT' });
    expect(parseCancelRequest({})).toEqual({});
  });
  test('only SIGKILL and SIGINT may be sent, and a reason is short text', () => {
    expect(() => parseKillRequest({ signal: 'SIGSTOP' })).toThrow(/use SIGKILL .* or SIGINT/);
    expect(() => parseCancelRequest({ reason: 'x'.repeat(201) })).toThrow(/at most 200 characters/);
  });
});

describe('command line', () => {
  test('defaults, and bad ports or function names are usage errors', () => {
    expect(parseConsoleArgs([])).toMatchObject({ port: 8390, functionName: 'shopflow-worker', startWorker: false });
    expect(parseConsoleArgs(['--port', '0', '--function', 'my-fn'])).toMatchObject({ port: 0, functionName: 'my-fn' });
    expect(() => parseConsoleArgs(['--port', '70000'])).toThrow(/is not a port/);
    expect(() => parseConsoleArgs(['--function', 'a b'])).toThrow(/is not a Lambda function name/);
    expect(() => parseConsoleArgs(['--prot', '1'])).toThrow(UsageError);
  });
});

describe('cost', () => {
  test('requests and GB-seconds times the configured prices, next to an always-on worker', () => {
    const cost = computeCost({
      requests: 2_000_000,
      billedGbSeconds: 100,
      wallSeconds: 1800,
      alwaysOn: { label: 'vm', usdPerHour: 0.1 },
    });
    const x86 = LAMBDA_PRICES.find((p) => p.architecture === 'x86_64')!;
    expect(cost.lambda[0].totalUsd).toBeCloseTo(2 * x86.usdPerMillionRequests + 100 * x86.usdPerGbSecond, 10);
    expect(cost.alwaysOn.totalUsd).toBeCloseTo(0.05, 10);
    expect(cost.formulas[0]).toMatch(/2000000 requests × \$0.2\/1M \+ 100.00 GB-s × \$0.0000166667\/GB-s/);
  });
  test('the always-on price is configurable and checked', () => {
    expect(alwaysOnPrice({ SHOPFLOW_ALWAYS_ON_USD_PER_HOUR: '0.0416' }).usdPerHour).toBe(0.0416);
    expect(() => alwaysOnPrice({ SHOPFLOW_ALWAYS_ON_USD_PER_HOUR: 'cheap' })).toThrow(
      /must be a price in US dollars per hour/,
    );
  });
});

describe('request guard', () => {
  const guard = new RequestGuard(() => 8390, 'a'.repeat(48));
  const good = { origin: 'http://127.0.0.1:8390', 'content-type': 'application/json', [TOKEN_HEADER]: 'a'.repeat(48) };
  test('the page itself may control', () => {
    expect(guard.checkControl(good)).toBeUndefined();
    expect(guard.checkHost('127.0.0.1:8390')).toBeUndefined();
  });
  test('another origin, no JSON, a wrong token or a foreign Host are refused', () => {
    expect(guard.checkControl({ ...good, origin: 'http://127.0.0.1:9999' })).toMatch(/may not control/);
    expect(guard.checkControl({ ...good, 'content-type': 'text/plain' })).toMatch(/must be JSON/);
    expect(guard.checkControl({ ...good, [TOKEN_HEADER]: 'b'.repeat(48) })).toMatch(/wrong console token/);
    expect(guard.checkHost('evil.example')).toMatch(/is not this console/);
  });
});
