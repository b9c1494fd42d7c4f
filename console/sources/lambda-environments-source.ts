/**
 * Local mode: the function's execution environments as the local Lambda service reports them (its
 * /local/environments endpoint), turned into cold start / busy / frozen / gone, with the request each one runs.
 */

import { CONSOLE_ENVIRONMENTS_REFRESH_MS } from '../../config/console';
import type { ConsoleHub } from '../console-hub';
import type { EnvironmentState, EnvironmentView } from '../console-types';

interface ReportedEnvironment {
  id: string;
  pid?: number;
  state: 'starting' | 'busy' | 'idle' | 'dead';
  frozen: boolean;
  invocations: number;
  requestId?: string;
}

/** Gone environments stay on the panel this long, so a presenter sees them go. */
const GONE_SHOWN_MS = 60_000;

function stateOf(env: ReportedEnvironment): EnvironmentState {
  if (env.state === 'starting') return 'cold start';
  if (env.state === 'busy') return 'busy';
  if (env.state === 'dead') return 'gone';
  return env.frozen ? 'frozen' : 'idle';
}

export class LambdaEnvironmentsSource {
  private readonly known = new Map<string, EnvironmentView & { goneAt?: number }>();
  /** Request id -> environment id, for the order board: "Lambda request 1a2b3c4d on env-5e6f". */
  readonly environmentOfRequest = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly endpoint: string,
    private readonly functionName: string,
    private readonly hub: ConsoleHub,
  ) {}

  start(): void {
    const tick = async () => {
      await this.refresh();
      if (this.timer !== undefined) this.timer = setTimeout(() => void tick(), CONSOLE_ENVIRONMENTS_REFRESH_MS);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    let reported: ReportedEnvironment[];
    try {
      const response = await fetch(`${this.endpoint}/local/environments`, { signal: AbortSignal.timeout(2_000) });
      const functions = (await response.json()) as { functionName: string; environments: ReportedEnvironment[] }[];
      reported = functions.find((f) => f.functionName === this.functionName)?.environments ?? [];
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.hub.record(
          'error',
          `the local Lambda service at ${this.endpoint} does not answer: ${(err as Error).message} ` +
            '(start it with `npm run lambda-local`, or point AWS_ENDPOINT_URL at it)',
        );
      this.failing = true;
      return;
    }
    const now = Date.now();
    let changed = false;
    for (const env of reported) {
      const state = stateOf(env);
      const before = this.known.get(env.id);
      if (env.requestId) this.environmentOfRequest.set(env.requestId, env.id);
      if (!before)
        this.hub.record('cold start', `Lambda environment ${env.id} ${state === 'cold start' ? 'cold start' : state}`);
      else if (before.state !== state && state === 'frozen')
        this.hub.record('lambda', `Lambda environment ${env.id} frozen (idle)`);
      else if (before.state !== state && state === 'busy' && before.state !== 'cold start') {
        this.hub.record('lambda', `Lambda environment ${env.id} thawed for a warm invocation`);
      }
      if (
        !before ||
        before.state !== state ||
        before.invocations !== env.invocations ||
        (env.requestId && before.requestId !== env.requestId)
      ) {
        changed = true;
        this.known.set(env.id, {
          id: env.id,
          pid: env.pid,
          state,
          invocations: env.invocations,
          requestId: env.requestId ?? before?.requestId,
          since: before?.state === state ? before.since : new Date(now).toISOString(),
        });
      }
    }
    for (const [id, view] of this.known) {
      if (reported.some((e) => e.id === id)) continue;
      if (view.state !== 'gone') {
        this.known.set(id, { ...view, state: 'gone', since: new Date(now).toISOString(), goneAt: now });
        this.hub.record('lambda', `Lambda environment ${id} gone (reaped or crashed)`);
        changed = true;
      } else if (now - (view.goneAt ?? now) > GONE_SHOWN_MS) {
        this.known.delete(id);
        changed = true;
      }
    }
    if (!changed) return;
    this.hub.updateWorkers({
      environments: [...this.known.values()].map(({ goneAt: _goneAt, ...view }) => view),
      requestEnvironments: Object.fromEntries(this.environmentOfRequest),
    });
  }
}
