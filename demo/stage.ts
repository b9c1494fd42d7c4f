/**
 * The demo's stage: everything it starts (local Lambda service, Temporal dev server, local worker) and stops
 * again, also on Ctrl+C or a failure, so nothing is left running.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../scripts/lib/project-paths';

type Stopper = () => Promise<void> | void;

export class Stage {
  private readonly stoppers: { name: string; stop: Stopper }[] = [];
  private stopping?: Promise<void>;

  own(name: string, stop: Stopper): void {
    this.stoppers.push({ name, stop });
  }

  /** Starts a project entry point (TypeScript) as one process, so a SIGKILL really kills the program. */
  startProcess(entry: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    const split = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout?.on('data', split);
    child.stderr?.on('data', split);
    this.own(entry, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
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
