/**
 * Picks the Node each function's environments run: its runtime's own (machinery/plumbing/runtime-node.ts), resolved once
 * per runtime, with any fallback to the host's Node said once. AWS's runtime client (aws-lambda-ric) is a native
 * addon built for the host's Node, so with it the host's Node stays, and that is said too.
 */

import { ensureRuntimeNode } from '../plumbing/runtime-node';
import type { RuntimeChoice } from './runtime-command';

export function runtimeNodeChooser(
  runtime: RuntimeChoice,
  used: Map<string, string>,
  log: (line: string) => void,
): (lambdaRuntime: string) => string {
  const chosen = new Map<string, string>();
  const nativeClient = runtime.command[1]?.includes('aws-lambda-ric');
  return (lambdaRuntime) => {
    const known = chosen.get(lambdaRuntime);
    if (known) return known;
    let executable = process.execPath;
    let version = process.version;
    if (nativeClient) {
      log(
        `Warning: local Lambda environments for ${lambdaRuntime} run the host's Node ${process.version}: ` +
          `${runtime.name} is built for it`,
      );
    } else {
      const node = ensureRuntimeNode(lambdaRuntime, log);
      if (node.warning) log(`Warning: ${node.warning}`);
      ({ executable, version } = node);
    }
    chosen.set(lambdaRuntime, executable);
    used.set(lambdaRuntime, version);
    return executable;
  };
}
