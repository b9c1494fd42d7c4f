/**
 * The demo's stage: everything it starts (local Lambda service, Temporal dev server, local worker) and stops
 * again, also on Ctrl+C or a failure, so nothing is left running.
 */

import type { ChildProcess } from 'node:child_process';
import { spawnEntryPoint } from './entry-point-process';
import { stopProcess } from '../plumbing/stop-process';

type Stopper = () => Promise<void> | void;

export class Stage {
  private readonly stoppers: { name: string; stop: Stopper }[] = [];
  private stopping?: Promise<void>;

  own(name: string, stop: Stopper): void {
    this.stoppers.push({ name, stop });
  }

  /** Starts a project entry point as one process (see entry-point-process.ts) and stops it with the stage. */
  startProcess(entry: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ChildProcess {
    const child = spawnEntryPoint(entry, args, { env, onLine });
    this.own(entry, () => stopProcess(child));
    return child;
  }

  /** Stops everything, newest first; safe to call more than once. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { stop } of [...this.stoppers].reverse()) {
        try {
          await stop();
        } catch {
          // Keep stopping the rest.
        }
      }
    })();
    return this.stopping;
  }
}

/**
 * Runs a command (`npm run demo`, `chaos`, `bench`) on a fresh stage and exits with its code. Ctrl+C, SIGTERM or a
 * closed terminal stop everything it started (exit 130); so does the end, whether the command succeeded or failed.
 */
export async function runOnStage(
  command: { name: string; what: string; stackTraces?: boolean },
  body: (stage: Stage) => Promise<number>,
): Promise<never> {
  // The project runs on Node 20; the AWS SDK's notice about future Node 22 releases is noise in these commands.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stage = new Stage();
  const interrupt = () => {
    console.log(`\nStopping ${command.what} and everything it started...`);
    void stage.stopAll().then(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('SIGHUP', interrupt);
  let code = 1;
  try {
    code = await body(stage);
  } catch (err) {
    const message =
      err instanceof Error ? (command.stackTraces ? (err.stack ?? err.message) : err.message) : String(err);
    console.error(`${command.name}: ${message}`);
  } finally {
    await stage.stopAll();
    console.log(`Stopped everything ${command.what} started.`);
  }
  process.exit(code);
}
