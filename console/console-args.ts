/** `npm run console`'s command line, parsed strictly: a typo is a usage message (exit 2), never a surprise. */

import { CONSOLE_DEFAULT_FUNCTION, CONSOLE_DEFAULT_PORT } from '../config/console';
import { UsageError, parseCommandLine } from '../client/command-line';

export const CONSOLE_USAGE = `Usage: npm run console -- [options]

Serves the presenter console on http://127.0.0.1:<port>: the order board, workers, the Lambda chart, the cost
panel and the event log, live. Temporal comes from temporal.toml / TEMPORAL_PROFILE / TEMPORAL_*; the Lambda
metrics from CloudWatch (AWS_* as usual, or the local Lambda service in local mode).

Options:
  --port N           port on 127.0.0.1 (default ${CONSOLE_DEFAULT_PORT}; 0 = any free port)
  --function NAME    the Lambda function to chart (default ${CONSOLE_DEFAULT_FUNCTION})
  --start-worker     local mode: start the local worker right away (the page can start it too)
  -h, --help         show this help

Local mode (a local dev server): controls to submit orders, kill and restart the local worker, cancel an order.
Cloud mode (a Temporal Cloud profile): watching only; invocations per minute from CloudWatch.`;

export interface ConsoleArgs {
  port: number;
  functionName: string;
  startWorker: boolean;
  help: boolean;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$|^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/;

export function parseConsoleArgs(argv: string[]): ConsoleArgs {
  const values = parseCommandLine(
    {
      port: { type: 'string' },
      function: { type: 'string' },
      'start-worker': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  );
  const rawPort = values.port ?? String(CONSOLE_DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535) {
    throw new UsageError(`--port ${JSON.stringify(rawPort)} is not a port: give a number from 0 to 65535`);
  }
  const functionName = values.function ?? CONSOLE_DEFAULT_FUNCTION;
  if (!FUNCTION_NAME.test(functionName)) {
    throw new UsageError(
      `--function ${JSON.stringify(functionName.slice(0, 80))} is not a Lambda function name: ` +
        'letters, digits, - and _ (up to 64)',
    );
  }
  return {
    port: Number(rawPort),
    functionName,
    startWorker: values['start-worker'] ?? false,
    help: values.help ?? false,
  };
}
