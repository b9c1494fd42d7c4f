/**
 * Runs a Lambda package the way Lambda loads it (test/support/invoke-packaged-handler.js in a fresh process with a
 * clean environment, cwd and LAMBDA_TASK_ROOT at the unpacked folder) and returns everything it printed.
 */

import { spawn } from 'node:child_process';
import path from 'node:path';

const INVOKER = path.join(__dirname, 'invoke-packaged-handler.js');

export interface PackagedRun {
  code: number | null;
  output: string;
  /** The handler's outcome; absent when the package failed to load. */
  invocation?: { ok: boolean; result?: unknown; error?: string };
}

/** Starts the packaged handler; `output()` is what it has printed so far, `done` resolves when it exits. */
export function startPackagedHandler(
  taskRoot: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): { done: Promise<PackagedRun>; output: () => string } {
  const child = spawn(process.execPath, [INVOKER, taskRoot, 'index.handler', String(timeoutMs)], {
    cwd: taskRoot,
    // A clean environment, as in Lambda: nothing of this process's settings leaks in.
    env: {
      PATH: process.env.PATH,
      HOME: taskRoot,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'shopflow-test',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<PackagedRun>((resolve) =>
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('INVOCATION '));
      resolve({ code, output, invocation: line ? JSON.parse(line.slice('INVOCATION '.length)) : undefined });
    }),
  );
  return { done, output: () => output };
}

export function runPackagedHandler(taskRoot: string, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<PackagedRun> {
  return startPackagedHandler(taskRoot, timeoutMs, env).done;
}

/** The message of the error that stopped the package from loading (Node prints `Error: <message>` or `ConfigError: <message>` on a crash). */
export function loadError(run: PackagedRun): string | undefined {
  return /^(?:\w*Error): (.*)$/m.exec(run.output)?.[1];
}
