/** `npm run console`: serves the presenter console until Ctrl+C. */

import { ConfigError } from '../config/config-error';
import { loadDotEnv } from '../config/load-dotenv';
import { runEntryPoint } from '../client/command-line';
import { CONSOLE_USAGE, parseConsoleArgs } from './console-args';
import { startConsole } from './start-console';

const CLOSE_TIMEOUT_MS = 5_000;

async function main(): Promise<void> {
  const args = parseConsoleArgs(process.argv.slice(2));
  if (args.help) return console.log(CONSOLE_USAGE);
  loadDotEnv();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  console.log('Starting the presenter console (bundling the page, connecting to Temporal)...');
  const running = await startConsole({
    port: args.port,
    functionName: args.functionName,
    startWorker: args.startWorker,
    log: (line) => console.log(line),
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    throw new Error(`${(err as Error).message}: another program uses the port; pick one with --port N`);
  });
  console.log(
    `Presenter console: ${running.url}  (Ctrl+C to stop${running.worker ? '; stops the local worker it started' : ''})`,
  );
  const stop = () => {
    console.log('\nStopping the console...');
    // Whatever hangs (an unreachable server), Ctrl+C ends the console within a few seconds.
    setTimeout(() => {
      console.log('Stopped without waiting any longer for Temporal or CloudWatch to answer.');
      process.exit(0);
    }, CLOSE_TIMEOUT_MS).unref();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

runEntryPoint('console', CONSOLE_USAGE, main, { isBadInput: (err) => err instanceof ConfigError });
