/**
 * Who may talk to the local Lambda service: programs on this machine using an AWS SDK, never a web page. A page
 * cannot choose the Host header (so DNS rebinding shows as a foreign Host), and a browser puts an Origin header on
 * every cross-origin POST, even a no-cors one; the AWS SDKs (JS v3, Go v2) send the service's own Host and no Origin.
 * Checked before the body is read, so a refused request has no effect.
 */

import type http from 'node:http';
import { accessDenied, type LambdaApiError } from './aws-errors';

/** The Host values that name this service on `port`. */
export function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Undefined when the request may go on; otherwise the AWS-shaped refusal that names the problem and the fix. */
export function refuseForeignRequest(
  headers: http.IncomingHttpHeaders,
  port: number,
  service = 'the local Lambda service',
): LambdaApiError | undefined {
  const host = headers.host;
  const own = ownHosts(port);
  if (!host || !own.includes(host)) {
    return accessDenied(
      `Host ${JSON.stringify(host ?? '')} is not ${service}: send requests to http://${own[0]} ` +
        '(requests naming another host, as a DNS-rebinding web page does, are refused)',
    );
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    return accessDenied(
      `${service} takes no requests from web pages (Origin ${JSON.stringify(origin)}): ` +
        'use an AWS SDK or the AWS CLI, which send no Origin header',
    );
  }
  return undefined;
}
