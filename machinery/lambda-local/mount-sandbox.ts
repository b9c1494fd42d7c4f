/**
 * Lambda's read-only code and private /tmp for each execution environment: its runtime starts in a mount namespace
 * of its own (util-linux's `unshare --mount`), set up by `mount-plan.ts`'s script. Whether the host can is tried
 * once, at start; where it cannot (not Linux, not root, no unshare, a kernel or container that refuses), it says so
 * once and environments run as before: writable code, the host's /tmp.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { folderToKeep, mountScript, planMounts, type MountTools } from './mount-plan';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

/** SHOPFLOW_LAMBDA_SANDBOX=off turns the sandbox off for any service not told otherwise. */
export function sandboxWanted(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option;
  const raw = env.SHOPFLOW_LAMBDA_SANDBOX?.trim().toLowerCase();
  if (raw === 'off' || raw === '0' || raw === 'false') return false;
  return LOCAL_LAMBDA_DEFAULTS.sandbox;
}

/** What the sandbox needs of the host; tests give a fake one. */
export interface SandboxHost {
  platform: NodeJS.Platform;
  isRoot: boolean;
  /** The absolute path of a command on the service's PATH, or undefined. */
  which(command: string): string | undefined;
  /**
   * Runs the command `build` makes for a fresh, empty folder under /tmp (removed after); returns undefined when it
   * succeeds, else what went wrong.
   */
  tryInFolder(build: (folder: string) => string[]): string | undefined;
  /** The real path of /tmp (a symlink on some systems). */
  tmpDir: string;
}

export const REAL_SANDBOX_HOST: SandboxHost = {
  platform: process.platform,
  isRoot: process.getuid?.() === 0,
  which: (command) =>
    (process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, command))
      .find((file) => {
        try {
          fs.accessSync(file, fs.constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  tryInFolder: (build) => {
    const folder = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'shopflow-sandbox-probe-'));
    try {
      const [file, ...args] = build(folder);
      execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
      return undefined;
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      return stderr || (err as Error).message;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
  get tmpDir() {
    return fs.realpathSync('/tmp');
  },
};

interface Tools extends MountTools {
  unshare: string;
  sh: string;
}

export class MountSandboxes {
  /** Why environments run without the sandbox, when they do (said once through `log`). */
  unavailable?: string;
  private readonly tools?: Tools;
  private readonly tmpDir: string = '/tmp';

  /** `enabled: false` is the off switch: nothing is tried and nothing is said. */
  constructor(
    enabled: boolean,
    private readonly options: {
      log: (line: string) => void;
      host?: SandboxHost;
      /** Host folders environments read and write as the host does (mount-plan.ts, MountPlanInput.shared). */
      shared?: string[];
    },
  ) {
    if (!enabled) return;
    const host = options.host ?? REAL_SANDBOX_HOST;
    const found = findTools(host);
    if (typeof found === 'string') {
      this.giveUp(found);
      return;
    }
    this.tmpDir = host.tmpDir;
    // The same steps an environment takes, with its code in a folder under /tmp (so kept visible through the
    // handle), in a throwaway namespace: a write there must fail. Nothing of it outlives the try.
    const failed = host.tryInFolder((folder) => [
      ...namespaceCommand(found),
      mountScript(planMounts({ tmpDir: this.tmpDir, sizeMb: 1, codeDir: folder, keep: [] }), found),
      'lambda-sandbox-probe',
      found.sh,
      '-c',
      'if (: > written) 2>/dev/null; then echo "a write beside the code went through" >&2; exit 1; fi',
    ]);
    if (failed !== undefined) {
      this.giveUp(`cannot make a mount namespace with a tmpfs and a read-only bind (${failed})`);
      return;
    }
    this.tools = found;
  }

  get applies(): boolean {
    return this.tools !== undefined;
  }

  /** One phrase for reports: what environments get, or why they run without it. */
  describe(): string {
    if (this.applies) return "read-only code and a private /tmp of the function's EphemeralStorage.Size";
    return `writable code and the host's /tmp (${this.unavailable ?? 'sandbox turned off'})`;
  }

  /**
   * The command that starts `runtime` (the Node binary, its flags, the runtime client, the handler) in a namespace
   * of its own with `codeDir` read-only and a private /tmp of `ephemeralMb`; `runtime` itself where none applies.
   */
  wrap(runtime: string[], codeDir: string, ephemeralMb: number): string[] {
    if (!this.tools) return runtime;
    const [node, ...args] = runtime;
    const files = [node, ...args.filter((a) => path.isAbsolute(a) && fs.existsSync(a))].map(realPath);
    const plan = planMounts({
      tmpDir: this.tmpDir,
      sizeMb: ephemeralMb,
      codeDir: realPath(codeDir),
      keep: files.map(folderToKeep),
      shared: (this.options.shared ?? []).filter((dir) => fs.existsSync(dir)).map(realPath),
    });
    return [...namespaceCommand(this.tools), mountScript(plan, this.tools), 'lambda-sandbox', ...runtime];
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = reason;
    this.options.log(
      `Local Lambda: no read-only code or private /tmp per environment, environments share the host's /tmp: ${reason}`,
    );
  }
}

/** The real path (a bind needs it: /tmp/x may be a link), or the path itself when it is gone: its mount then fails. */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** `unshare` with a private mount namespace, then `sh -c` (the script follows). */
function namespaceCommand(tools: Tools): string[] {
  return [tools.unshare, '--mount', '--propagation', 'private', tools.sh, '-c'];
}

/** The commands the sandbox runs, or why the host cannot have it (with what to do). */
function findTools(host: SandboxHost): Tools | string {
  if (host.platform !== 'linux') return `mount namespaces are Linux's (this host is ${host.platform})`;
  if (!host.isRoot) return 'the service is not root (a mount namespace needs CAP_SYS_ADMIN): run it as root';
  const unshare = host.which('unshare');
  const mount = host.which('mount');
  const mkdir = host.which('mkdir');
  const sh = host.which('sh');
  if (!unshare || !mount) return "util-linux's unshare and mount are not installed (apt-get install util-linux)";
  if (!mkdir || !sh) return 'no mkdir or sh on PATH';
  return { unshare, mount, mkdir, sh };
}
