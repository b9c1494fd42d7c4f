/**
 * Loads one CommonJS file through vm.Script with a V8 code cache taken after its module body ran (at build time),
 * so the functions the body ran are in it: Node 22's compile cache is taken right after compiling, before they are,
 * and leaves them to be compiled at every cold start. The cache does not depend on the file's path or the user, and
 * nothing is written at run time. Node maps stack traces through source maps only for files its own loader
 * compiled, so with --enable-source-maps the caller loads the file with `require` instead.
 */

import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export interface CachedRequire {
  exports: unknown;
  /** With a cache given: whether V8 refused it (another V8 version or other flags); the file then compiled anew. */
  cacheRejected?: boolean;
  /** The code cache to ship: everything compiled so far, the module body and the functions it ran. */
  createCachedData(): Buffer;
}

/** Loads `file` as `require` would (its own module, exports, require, __filename, __dirname), with `cachedData`. */
export function requireWithCodeCache(file: string, cachedData?: Buffer): CachedRequire {
  const filename = fs.realpathSync(file);
  const dirname = path.dirname(filename);
  const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename, cachedData });
  const loaded = new Module(filename);
  loaded.filename = filename;
  // Registered before the body runs, as require does: a cycle back to this file finds it instead of loading it again.
  require.cache[filename] = loaded;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(loaded.exports, loaded.exports, createRequire(filename), loaded, filename, dirname);
  loaded.loaded = true;
  return {
    exports: loaded.exports,
    cacheRejected: cachedData ? script.cachedDataRejected : undefined,
    createCachedData: () => script.createCachedData(),
  };
}
