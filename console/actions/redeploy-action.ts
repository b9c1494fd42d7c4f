/**
 * "Ship the next build" (local mode): one redeploy at a time, through the same code as the demo's act 5
 * (machinery/deployment/next-release), its progress and the version table on the page. The table is read from the server
 * (describe and visibility counts), so keeping it fresh never wakes a worker.
 */

import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectionLike } from '@temporalio/client';
import { buildNextRelease, currentVersion, shipRelease } from '../../machinery/deployment/next-release';
import { versionTable } from '../../machinery/deployment/version-drainage';
import { nextBuildId } from '../../machinery/deployment/version-label';
import type { ConsoleHub } from '../console-hub';
import type { RedeployView } from '../console-types';
import { ControlInputError } from './control-input';

export interface RedeployControlOptions {
  hub: ConsoleHub;
  lambda: LambdaClient;
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  functionName: string;
  deploymentName: string;
  /** Where the next build's zip is written. */
  workDir: string;
  /** How often the version table is read again (drainage moves on its own as orders end). */
  refreshMs: number;
}

/** The page keeps this many progress lines of a redeploy. */
const MAX_LINES = 200;

export class RedeployControl {
  private view: RedeployView = { state: 'idle', lines: [], versions: [] };
  private busy = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly options: RedeployControlOptions) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  snapshot(): RedeployView {
    return this.view;
  }

  /** Reads the version table again and tells the page. A deployment not created yet is an empty table. */
  async refresh(): Promise<void> {
    const { connection, namespace, deploymentName } = this.options;
    const versions = await versionTable(connection, namespace, deploymentName).catch(() => []);
    const current = versions.find((v) => v.status === 'CURRENT')?.buildId;
    this.update({ versions, currentBuildId: current, nextBuildId: current && nextBuildId(current) });
  }

  /**
   * Runs `work` as the one redeploy under way (the demo's act 5 does its own through here, so the page shows it and
   * its button waits). Refused while another runs.
   */
  async exclusive<T>(by: string, work: (log: (line: string) => void) => Promise<T>): Promise<T> {
    this.claim(by);
    return this.run(by, work);
  }

  /** The page's button: checks the page saw the Current Version, then builds and ships the next in the background. */
  async shipNext(from: string): Promise<string> {
    this.claim('the page');
    let current;
    try {
      current = await currentVersion(this.options.connection, this.options.namespace, this.options.deploymentName);
      if (current.buildId !== from) {
        throw new Error(
          `the Current Version is ${current.buildId} now, not ${from}: ` +
            'look at the version table, then press the button again',
        );
      }
    } catch (err) {
      this.busy = false;
      this.update({});
      throw new ControlInputError((err as Error).message, 409);
    }
    const next = nextBuildId(current.buildId);
    const { hub, lambda, connection, namespace, functionName, workDir } = this.options;
    const shipping = this.run('the page', async (log) => {
      const release = await buildNextRelease({ current, dir: workDir, log, buildLog: (line) => log(`  ${line}`) });
      log(`built ${next} in ${release.buildSeconds.toFixed(1)} s`);
      const result = await shipRelease({
        release,
        lambda,
        connection,
        namespace,
        functionName,
        identity: 'shopflow-console',
        log,
      });
      log(`redeploy took ${result.seconds.total.toFixed(1)} s after the build`);
      hub.record('control', `${next} shipped: ${result.publishedArn} is the Current Version`);
    });
    shipping.catch((err: Error) => hub.record('error', `shipping ${next} failed: ${err.message}`));
    return `shipping ${next} after ${current.buildId}: build, guard, publish, register, make current`;
  }

  private reason(): string | undefined {
    if (this.busy) {
      const at = this.view.startedAt?.slice(11, 19) ?? '';
      return `a redeploy is running (started by ${this.view.by ?? 'someone'} at ${at}): wait for it to end`;
    }
    if (!this.view.currentBuildId) {
      return (
        `worker deployment ${this.options.deploymentName} has no Current Version yet: deploy and register the ` +
        'first build (npm run deploy:lambda -- --publish, then npm run register:lambda)'
      );
    }
    return undefined;
  }

  private claim(by: string): void {
    if (this.busy) throw new ControlInputError(this.reason()!, 409);
    this.busy = true;
    this.update({
      state: 'running',
      by,
      lines: [],
      startedAt: new Date().toISOString(),
      seconds: undefined,
      error: undefined,
    });
  }

  private run<T>(by: string, work: (log: (line: string) => void) => Promise<T>): Promise<T> {
    const started = Date.now();
    const log = (line: string) => this.update({ lines: [...this.view.lines, line].slice(-MAX_LINES) });
    this.options.hub.record('control', `redeploy started by ${by}`);
    const running = (async () => {
      try {
        const result = await work(log);
        this.busy = false;
        this.update({ state: 'done', seconds: (Date.now() - started) / 1000 });
        return result;
      } catch (err) {
        this.busy = false;
        this.update({ state: 'failed', seconds: (Date.now() - started) / 1000, error: (err as Error).message });
        throw err;
      } finally {
        await this.refresh();
      }
    })();
    this.running = running;
    return running;
  }

  private update(patch: Partial<RedeployView>): void {
    this.view = { ...this.view, ...patch };
    this.view.disabledReason = this.reason();
    this.options.hub.setRedeploy(this.view);
  }
}
