/** Strict command-line parsing for the project's commands: a typo prints the usage and exits with code 2. */

import { parseArgs, type ParseArgsConfig } from 'node:util';

export function usageError(command: string, usage: string, message: string): never {
  console.error(`${command}: ${message}\n\n${usage}`);
  process.exit(2);
}

export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  usage: string,
  options: O,
  argv = process.argv.slice(2),
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return usageError(command, usage, (err as Error).message);
  }
}
