/**
 * Who may talk to the console: requests must name the console itself as Host (a DNS-rebinding page cannot), and
 * control requests must come from the console's own page: its Origin, JSON, and the per-run token it was given.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_HEADER = 'x-shopflow-console-token';

export function newRunToken(): string {
  return randomBytes(24).toString('hex');
}

export class RequestGuard {
  constructor(
    private readonly port: () => number,
    private readonly token: string,
  ) {}

  private hosts(): string[] {
    return [`127.0.0.1:${this.port()}`, `localhost:${this.port()}`];
  }

  /** Undefined when the Host is the console's own; else why not. */
  checkHost(host: string | undefined): string | undefined {
    if (host && this.hosts().includes(host)) return undefined;
    return `Host ${JSON.stringify(host ?? '')} is not this console: open http://127.0.0.1:${this.port()}/`;
  }

  /** Undefined when the control request comes from the console's page; else why not. */
  checkControl(headers: Record<string, string | string[] | undefined>): string | undefined {
    const origin = headers.origin;
    const allowed = this.hosts().map((h) => `http://${h}`);
    if (typeof origin !== 'string' || !allowed.includes(origin)) {
      const what = `Origin ${JSON.stringify(origin ?? '(none)')}`;
      return `${what} may not control this console: use the page at ${allowed[0]}/`;
    }
    if (!String(headers['content-type'] ?? '').startsWith('application/json')) return 'control requests must be JSON';
    const given = Buffer.from(String(headers[TOKEN_HEADER] ?? ''));
    const expected = Buffer.from(this.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return 'missing or wrong console token: reload the page (each console run has its own token)';
    }
    return undefined;
  }
}
