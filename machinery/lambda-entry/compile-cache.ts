/**
 * The V8 compile cache a package carries (compile-cache/, produced at build time by the runtime's Node) and how the
 * package's entry turns it on before the heavy code loads. Node 22 keys each entry by the file's absolute path and
 * the user id, and the build cannot know either (/var/task and an unknown user on AWS, a folder of its own on the
 * local service), so the entries are linked under the names this process will look for, in a writable folder (the
 * task root is read-only on Lambda). Node accepts a cache only from the same Node version, architecture and V8
 * flags; anything else would be a silent no-op, so every outcome is said in one log line.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import type { CompileCacheInfo } from '../../lambda/build-info';
import { requireWithCodeCache } from './cached-require';

export type { CompileCacheInfo };

/** The package folder holding the cache entries, one `<file>.cache` per cached file. */
export const COMPILE_CACHE_DIR = 'compile-cache';

/** Node's `module.enableCompileCache` (Node >= 22.1; absent before). */
export type EnableCompileCache = (dir: string) => { status: number; message?: string; directory?: string };

export type CompileCacheOutcome =
  { used: true; directory: string; entries: number; message: string } | { used: false; message: string };

/** Node's name for one entry: crc32 of the entry type (0 = CommonJS) then the absolute file name, 8 hex digits. */
export function compileCacheKey(absoluteFile: string): string {
  return zlib
    .crc32(absoluteFile, zlib.crc32(Buffer.from([0])))
    .toString(16)
    .padStart(8, '0');
}

/** Node's sub-folder for this process: version, architecture, V8 tag and user id. */
export function compileCacheSubdirectory(tag: number = v8.cachedDataVersionTag()): string {
  const uid = process.getuid?.();
  const base = `${process.version}-${process.arch}-${tag.toString(16).padStart(8, '0')}`;
  return uid === undefined ? base : `${base}-${uid}`;
}

/** `v22.23.5` -> `v22`. */
const majorOf = (version: string) => version.split('.')[0];

/**
 * Why this process cannot use a cache made as `info` says, or undefined when it can. Another patch of the same Node
 * major is fine when V8's tag (its version and flags) is the same: every Node 22 patch measured so far runs V8
 * 12.4.254.21, and V8 takes the cache (bench `cache-acceptance`, docs/bench.md); V8 checks the tag and each
 * entry's source itself, and compiles anew when either differs.
 */
export function compileCacheMismatch(info: CompileCacheInfo, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const here = `this is Node ${process.version} on ${process.arch}`;
  if (majorOf(info.node) !== majorOf(process.version) || info.arch !== process.arch)
    return `it was made by Node ${info.node} on ${info.arch}, ${here}`;
  if (v8.cachedDataVersionTag() === info.v8Tag) return undefined;
  if (info.node !== process.version)
    return (
      `it was made by Node ${info.node}, whose V8 differs from this Node ${process.version}'s ` +
      `(tag ${v8.cachedDataVersionTag()}, not ${info.v8Tag}): rebuild with this Node pinned in machinery/plumbing/runtime-node.ts`
    );
  const memory = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
  if (memory && Number(memory) !== info.memoryMb)
    return (
      `it was made for ${info.memoryMb} MB (V8 flags ${info.v8Flags.join(' ')}) and this function has ${memory} MB: ` +
      `rebuild with \`npm run build:lambda -- --compile-cache-memory ${memory}\``
    );
  const tags = `tag ${v8.cachedDataVersionTag()}, not ${info.v8Tag}`;
  return `V8 runs with other flags than ${info.v8Flags.join(' ')} (${tags})`;
}

/**
 * Turns the package's compile cache on for this process and its worker threads: links each entry under the name
 * Node will look for, in `cacheRoot` (writable: os.tmpdir(), /tmp on Lambda), then enables the cache there.
 */
export function enablePackagedCompileCache(
  packageDir: string,
  info: CompileCacheInfo | undefined,
  cacheRoot: string = path.join(os.tmpdir(), 'shopflow-compile-cache'),
  enableCompileCache: EnableCompileCache | undefined = (
    require('node:module') as { enableCompileCache?: EnableCompileCache }
  ).enableCompileCache,
): CompileCacheOutcome {
  if (!info) return { used: false, message: 'the package was built without one (--no-compile-cache)' };
  if (typeof enableCompileCache !== 'function')
    return { used: false, message: `Node ${process.version} has no module.enableCompileCache (Node >= 22.1 has)` };
  const mismatch = compileCacheMismatch(info);
  if (mismatch) return { used: false, message: mismatch };
  const directory = path.join(cacheRoot, compileCacheSubdirectory());
  let entries = 0;
  try {
    fs.mkdirSync(directory, { recursive: true });
    for (const file of info.files) {
      const entry = path.join(packageDir, COMPILE_CACHE_DIR, `${file}.cache`);
      if (!fs.existsSync(entry)) continue;
      const link = path.join(directory, compileCacheKey(fs.realpathSync(path.join(packageDir, file))));
      // Made beside, then renamed over: environments sharing a /tmp never see a half-made link.
      const staging = `${link}.${process.pid}`;
      fs.rmSync(staging, { force: true });
      fs.symlinkSync(entry, staging);
      fs.renameSync(staging, link);
      entries++;
    }
  } catch (err) {
    // A cache is worth a faster start, never a failed one.
    return { used: false, message: `its entries could not be linked in ${cacheRoot}: ${(err as Error).message}` };
  }
  const result = enableCompileCache(cacheRoot);
  // Worker threads (the SDK's workflow thread) read the variable when they start.
  process.env.NODE_COMPILE_CACHE = cacheRoot;
  if (result.status !== 1 && result.status !== 2)
    return { used: false, message: `Node refused it: ${result.message ?? `status ${result.status}`}` };
  const by =
    info.node === process.version ? `Node ${info.node}` : `Node ${info.node} (same V8 tag as this ${process.version})`;
  const message = `${entries} of ${info.files.length} entries, made by ${by} for ${info.memoryMb} MB`;
  return { used: true, directory, entries, message };
}

/**
 * Loads a package file: through its V8 code cache when the package has one for it and this process can use it
 * (same V8 and flags, source maps off), else with `require` (then Node's compile cache applies, if on). Says which.
 */
export function requirePackaged(
  packageDir: string,
  file: string,
  info: CompileCacheInfo | undefined,
): { exports: unknown; how: string; rejected?: boolean } {
  // Without the extension, so that a .ts beside the entry is found under tsx as well as the bundle's .js.
  const full = path.join(packageDir, file.replace(/\.js$/, ''));
  const codeCache = path.join(packageDir, COMPILE_CACHE_DIR, `${file}.v8cache`);
  if (!info?.codeCacheFiles?.includes(file) || !fs.existsSync(codeCache) || compileCacheMismatch(info))
    return { exports: require(full), how: `${file}: require` };
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled)
    return { exports: require(full), how: `${file}: require, not its full V8 code cache (source maps are on)` };
  const loaded = requireWithCodeCache(path.join(packageDir, file), fs.readFileSync(codeCache));
  return {
    exports: loaded.exports,
    rejected: loaded.cacheRejected,
    how: loaded.cacheRejected
      ? `${file}: its V8 code cache was REJECTED by V8 (compiled anew)`
      : `${file}: V8 code cache taken after load`,
  };
}
