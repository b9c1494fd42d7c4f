/**
 * Who may talk to a local service: programs on this machine, never a web page. A page cannot choose the Host header
 * (so DNS rebinding shows as a foreign Host), and a browser puts an Origin header on every cross-origin POST, even a
 * no-cors one; the AWS SDKs (JS v3, Go v2), the runtime clients and Node's fetch send the service's own Host and no
 * Origin. Checked before the body is read, so a refused request has no effect. Used by the local Lambda service,
 * each Runtime API, and the guard in front of moto (machinery/devstack/loopback-guard.ts).
 */

import type http from 'node:http';
import { accessDenied, type LambdaApiError } from './aws-errors';

/** The Host values that name a service on `port`. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * Undefined when the request may go on; otherwise why not, naming the fix. `ports`: the service's own port first,
 * then any other port that forwards to it unchanged (a TCP front).
 */
export function foreignRequestProblem(
  headers: http.IncomingHttpHeaders,
  ports: readonly number[],
  service: string,
  fromPageFix = 'use an AWS SDK or the AWS CLI, which send no Origin header',
): string | undefined {
  const host = headers.host;
  const own = ports.flatMap(ownHosts);
  if (!host || !own.includes(host)) {
    return (
      `Host ${JSON.stringify(host ?? '')} is not ${service}: send requests to http://${own[0]} ` +
      '(requests naming another host, as a DNS-rebinding web page does, are refused)'
    );
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    return `${service} takes no requests from web pages (Origin ${JSON.stringify(origin)}): ${fromPageFix}`;
  }
  return undefined;
}

/** The local Lambda service's refusal, in Lambda's error shape (403 AccessDeniedException). */
export function refuseForeignRequest(
  headers: http.IncomingHttpHeaders,
  port: number,
  service = 'the local Lambda service',
  fromPageFix?: string,
): LambdaApiError | undefined {
  const problem = foreignRequestProblem(headers, [port], service, fromPageFix);
  return problem === undefined ? undefined : accessDenied(problem);
}
