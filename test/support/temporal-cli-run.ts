/** Runs the real Temporal CLI against the test dev server and returns what a person would see, exit code included. */

import { execFile } from 'node:child_process';
import { testEnv } from './test-env';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Namespace `default` unless the arguments name one. */
export function temporalCli(...args: string[]): Promise<CliRun> {
  const namespace = args.includes('--namespace') ? [] : ['--namespace', 'default'];
  return new Promise((resolve) => {
    execFile(
      testEnv('cli'),
      [...args, '--address', testEnv('address'), ...namespace],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
