/**
 * The project's one command-line convention: parsers throw a UsageError (they never exit), and every entry point
 * runs through runEntryPoint, which prints `<command>: <problem>` with the usage and exits 2 for a usage error,
 * and exits 1 for any other failure.
 */

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command line is wrong: the message names the flag and what it must be. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Strict flags: an unknown flag, a missing value or a stray positional is a UsageError. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  options: O,
  argv = process.argv.slice(2),
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export interface EntryPointOptions {
  /** Failures that are bad input although not about flags (say, a bad configuration file): exit 2, no usage. */
  isBadInput?: (err: unknown) => boolean;
}

/**
 * Runs an entry point's main. A number it returns is the exit code; nothing returned leaves the process to end
 * by itself (or keep serving, for the servers).
 */
export function runEntryPoint(
  command: string,
  usage: string,
  main: () => Promise<number | void>,
  options: EntryPointOptions = {},
): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exit(code);
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UsageError) {
        console.error(`${command}: ${message}\n\n${usage}`);
        process.exit(2);
      }
      console.error(`${command}: ${message}`);
      process.exit(options.isBadInput?.(err) ? 2 : 1);
    },
  );
}
