/**
 * The compile cache's parts on their own: Lambda's Node flags per memory size, Node 22's entry names, the reasons a
 * cache cannot be used, and the code-cache loader (a real vm.Script and V8 cache, on whatever Node runs the tests).
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { requireWithCodeCache } from '../../machinery/lambda-entry/cached-require';
import {
  compileCacheKey,
  compileCacheMismatch,
  enablePackagedCompileCache,
  type CompileCacheInfo,
} from '../../machinery/lambda-entry/compile-cache';
import { lambdaNodeFlags } from '../../machinery/lambda-entry/runtime-flags';

/** Run in a child: loads argv[2] with the cache file argv[3] through the loader module argv[1]; prints the outcome. */
const LOAD_WITH_CACHE = `
const [loader, file, cache] = process.argv.slice(1);
const loaded = require(loader).requireWithCodeCache(file, require('node:fs').readFileSync(cache));
console.log(JSON.stringify({ rejected: loaded.cacheRejected, answer: loaded.exports.answer }));`;

const info = (overrides: Partial<CompileCacheInfo> = {}): CompileCacheInfo => ({
  node: process.version,
  arch: process.arch,
  v8Flags: lambdaNodeFlags(1024),
  memoryMb: 1024,
  v8Tag: v8.cachedDataVersionTag(),
  files: ['handler.js'],
  ...overrides,
});

test("Lambda's Node flags follow its bootstrap: a tenth of memory new space, half of it per semi-space", () => {
  expect(lambdaNodeFlags(1024)).toEqual(['--expose-gc', '--max-semi-space-size=51', '--max-old-space-size=922']);
  expect(lambdaNodeFlags(128)).toEqual(['--expose-gc', '--max-semi-space-size=6', '--max-old-space-size=116']);
});

test("entry names are Node 22's: crc32 of type 0, then the path, 8 hex digits (as its debug output named them)", () => {
  expect(compileCacheKey('/tmp/cc-exp/A/big.js')).toBe('989c65cd');
  expect(compileCacheKey('/tmp/cc-exp/P/m5.js')).toBe('0c382528');
});

test('a cache this process cannot use is named with the reason and the fix', () => {
  expect(compileCacheMismatch(info())).toBeUndefined();
  expect(compileCacheMismatch(info({ node: 'v18.0.0' }))).toMatch(/made by Node v18\.0\.0 on .*, this is Node /);
  expect(compileCacheMismatch(info({ arch: 'mips' }))).toMatch(/on mips, this is Node .* on /);
  // Another patch of this major: fine with the same V8 tag, named with the fix when V8 differs.
  const otherPatch = `${process.version.split('.')[0]}.0.1`;
  expect(compileCacheMismatch(info({ node: otherPatch }))).toBeUndefined();
  expect(compileCacheMismatch(info({ node: otherPatch, v8Tag: v8.cachedDataVersionTag() + 1 }))).toMatch(
    /whose V8 differs from this Node .*: rebuild with this Node pinned in machinery\/plumbing\/runtime-node\.ts/,
  );
  const otherFlags = info({ v8Tag: v8.cachedDataVersionTag() + 1 });
  expect(compileCacheMismatch(otherFlags, { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' })).toMatch(
    /made for 1024 MB .* this function has 2048 MB: rebuild with `npm run build:lambda -- --compile-cache-memory 2048`/,
  );
  expect(compileCacheMismatch(otherFlags, {})).toMatch(/V8 runs with other flags than --expose-gc/);
  expect(enablePackagedCompileCache('/nowhere', undefined)).toEqual({
    used: false,
    message: 'the package was built without one (--no-compile-cache)',
  });
});

test('the code-cache loader runs a CommonJS file as require would, and V8 accepts the cache it took', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-code-cache-'));
  try {
    fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.twice = (n) => 2 * n;');
    const file = path.join(dir, 'main.js');
    fs.writeFileSync(
      file,
      "const { twice } = require('./helper');\nexports.answer = twice(21);\nexports.where = [__filename, __dirname];",
    );
    const first = requireWithCodeCache(file);
    expect(first.exports).toEqual({ answer: 42, where: [fs.realpathSync(file), fs.realpathSync(dir)] });
    expect(first.cacheRejected).toBeUndefined();
    const cacheFile = path.join(dir, 'main.js.v8cache');
    fs.writeFileSync(cacheFile, first.createCachedData());

    // Each in a fresh process: in this one, V8 would reuse its in-memory compilation and never look at the cache.
    const loadIn = (cache: string) => {
      const run = spawnSync(
        process.execPath,
        [
          '-r',
          require.resolve('tsx/cjs'),
          '-e',
          LOAD_WITH_CACHE,
          require.resolve('../../machinery/lambda-entry/cached-require'),
          file,
          cache,
        ],
        { encoding: 'utf8' },
      );
      return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { rejected?: boolean; answer?: number };
    };
    expect(loadIn(cacheFile)).toEqual({ rejected: false, answer: 42 });
    // A cache V8 cannot use is refused, said, and the file still loads.
    fs.writeFileSync(path.join(dir, 'garbage'), 'not a code cache');
    expect(loadIn(path.join(dir, 'garbage'))).toEqual({ rejected: true, answer: 42 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache folder that cannot be written to is said, and the package still loads (no throw)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-cache-root-'));
  try {
    // A file where the cache folder should be: mkdir fails whoever runs the test (root included).
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    // Node's enableCompileCache stands in (the tests may run on a Node without it); it must never be reached here.
    const enable = jest.fn(() => ({ status: 1 }));
    const outcome = enablePackagedCompileCache(dir, info(), blocked, enable);
    expect(enable).not.toHaveBeenCalled();
    expect(outcome.used).toBe(false);
    expect(outcome.message).toMatch(/could not be linked in .*not-a-folder/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
