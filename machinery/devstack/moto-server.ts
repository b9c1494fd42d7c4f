/**
 * A real DynamoDB-compatible server for offline runs: moto's server, installed from PyPI (`moto[server]`) into
 * .tools/ the way the Temporal CLI is. moto listens on a Unix socket only this user can reach, behind a guard on a
 * free loopback port that refuses web pages and foreign Hosts (loopback-guard.ts; moto checks neither and allows
 * every origin by CORS). State is in memory: a restart empties it.
 */

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLoopbackGuard, type LoopbackGuard } from './loopback-guard';
import { TOOLS_DIR } from '../plumbing/project-paths';
import { stopProcess } from '../plumbing/stop-process';
import { waitFor } from '../plumbing/wait-for';

export const MOTO_PACKAGE = 'moto[server]==5.2.5';
const VENV_DIR = path.join(TOOLS_DIR, 'moto');
const MOTO_SERVER = path.join(VENV_DIR, 'bin', 'moto_server');
/** Written after a finished install, so an interrupted one is redone rather than trusted. */
const STAMP = path.join(VENV_DIR, 'installed.txt');

/** moto's server, installed into .tools/moto on first use (about a minute, once). */
export function ensureMotoServer(log: (line: string) => void = console.log): string {
  if (fs.existsSync(MOTO_SERVER) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === MOTO_PACKAGE) {
    return MOTO_SERVER;
  }
  const where = path.relative(process.cwd(), VENV_DIR);
  log(`Installing moto's DynamoDB-compatible server (${MOTO_PACKAGE} from PyPI) into ${where}...`);
  const python = process.env.PYTHON ?? 'python3';
  try {
    const pip = path.join(VENV_DIR, 'bin', 'pip');
    if (!fs.existsSync(pip)) execFileSync(python, ['-m', 'venv', VENV_DIR], { stdio: 'inherit' });
    execFileSync(pip, ['install', '--quiet', '--disable-pip-version-check', MOTO_PACKAGE], { stdio: 'inherit' });
  } catch (err) {
    throw new Error(
      `Could not install ${MOTO_PACKAGE} with ${python} (${(err as Error).message}): ` +
        'install Python 3 with venv and pip',
    );
  }
  fs.writeFileSync(STAMP, `${MOTO_PACKAGE}\n`);
  return MOTO_SERVER;
}

export interface MotoServer {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface MotoServerOptions {
  /** Default: a free port. A restart passes the old one, so clients keep their endpoint. */
  port?: number;
  /** Where the server's request log goes; omit to discard it. */
  logFile?: string;
  /** Extra environment, e.g. moto's request recorder (MOTO_ENABLE_RECORDING, MOTO_RECORDER_FILEPATH). */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Loopback ports that forward to this server unchanged (restartable-moto's front): their Host is accepted. */
  alsoServes?: number[];
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const executable = ensureMotoServer();
  // moto itself listens on a Unix socket in a folder of this user's only; clients reach it through the guard.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-moto-'));
  const socketPath = path.join(socketDir, 'moto.sock');
  const output = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(executable, ['-H', `unix://${socketPath}`, '-p', '0'], {
    stdio: ['ignore', output, output],
    // No CORS headers either: were the guard ever bypassed, no page could read a reply or pass a preflight.
    env: { ...process.env, MOTO_DISABLE_GLOBAL_CORS: 'true', ...options.env },
  });
  let guard: LoopbackGuard | undefined;
  const stop = async () => {
    await guard?.close();
    await stopProcess(child, 'SIGTERM', 3_000);
    fs.rmSync(socketDir, { recursive: true, force: true });
  };
  let endpoint = '';
  try {
    guard = await startLoopbackGuard({
      socketPath,
      port: options.port,
      service: "moto's DynamoDB server",
      alsoServes: options.alsoServes,
    });
    endpoint = `http://127.0.0.1:${guard.port}`;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} while starting`);
        return answers(endpoint);
      },
      { timeoutMs: options.startTimeoutMs ?? 30_000, what: `moto_server to answer at ${endpoint}`, intervalMs: 100 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port: guard.port, process: child, stop };
}
