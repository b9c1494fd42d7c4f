/**
 * A project entry point (`worker/main.ts`, `machinery/lambda-local/main.ts`...) started as one process: Node with tsx loaded
 * in the same process (not the tsx CLI, which runs the program in a child), so a SIGKILL kills the program itself.
 * The demo's stage, the console's worker and the tests all start entry points here.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../plumbing/project-paths';

export interface EntryPointOptions {
  /** Extra environment, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  stdin?: 'ignore' | 'pipe';
  /** Each complete line of stdout and stderr (a last line without a newline is delivered at exit). */
  onLine?: (line: string) => void;
}

export function spawnEntryPoint(entry: string, args: string[], options: EntryPointOptions = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(PROJECT_ROOT, entry), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const onLine = options.onLine;
  if (onLine) {
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      stream?.on('end', () => {
        if (buffer) onLine(buffer);
        buffer = '';
      });
    }
  }
  return child;
}
