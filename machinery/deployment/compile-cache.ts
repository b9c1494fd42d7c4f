/**
 * Produces the package's V8 compile cache at build time: the runtime's own Node (nodejs22.x: the pinned Node 22),
 * started with the flags Lambda starts it with for the function's memory, loads the staged handler and the
 * workflow thread file with Node's compile cache on; the entries are then stored in compile-cache/ by file name
 * (machinery/lambda-entry/compile-cache.ts links them under Node's names at run time).
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_PORT, LAMBDA_DEFAULT_MEMORY_MB } from '../../config/settings';
import { COMPILE_CACHE_DIR, compileCacheKey, type CompileCacheInfo } from '../lambda-entry/compile-cache';
import { lambdaNodeFlags } from '../lambda-entry/runtime-flags';
import { ensureRuntimeNode, type RuntimeNode } from '../plumbing/runtime-node';
import { LAMBDA_RUNTIME } from './lambda-deployment';

/** The memory size the cache is made for when the build is not told another: deploy:lambda's default. */
export const DEFAULT_COMPILE_CACHE_MEMORY_MB = LAMBDA_DEFAULT_MEMORY_MB;

const PRODUCER = path.join(__dirname, 'compile-cache-producer.cjs');

export interface CompileCacheBuild {
  stageDir: string;
  /** Relative to the stage: the handler module; the thread entry the SDK starts, and the SDK's thread code it loads. */
  handlerFile: string;
  threadEntry: string;
  threadFile: string;
  memoryMb: number;
  log: (line: string) => void;
  /** The Node that makes it; default the runtime's own (the bench's cache-acceptance section tries others). */
  node?: RuntimeNode;
}

/**
 * Writes compile-cache/<file>.cache into the stage and returns what build-info.json records, or undefined (said in
 * the log) when the runtime's Node cannot be had here: a cache made by another Node would never be used.
 */
export function produceCompileCache(build: CompileCacheBuild): CompileCacheInfo | undefined {
  const node = build.node ?? ensureRuntimeNode(LAMBDA_RUNTIME, build.log);
  if (node.warning) {
    build.log(`  compile cache: NOT made (${node.warning}); the package works without it, its cold start is slower`);
    return undefined;
  }
  const v8Flags = lambdaNodeFlags(build.memoryMb);
  build.log(
    `  making the V8 compile cache with Node ${node.version} (${v8Flags.join(' ')}, for ${build.memoryMb} MB)...`,
  );
  const nodeCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-compile-cache-build-'));
  const codeCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-code-cache-build-'));
  const produce = (mode: 'node' | 'code', cacheDir: string): number => {
    const run = spawnSync(
      node.executable,
      [...v8Flags, PRODUCER, mode, build.stageDir, cacheDir, build.handlerFile, build.threadEntry, build.threadFile],
      {
        cwd: build.stageDir,
        encoding: 'utf8',
        timeout: 120_000,
        // Lambda's kind of environment: nothing of the project's settings leaks into what the handler reads at load.
        env: {
          PATH: process.env.PATH,
          HOME: build.stageDir,
          AWS_REGION: 'us-east-1',
          AWS_LAMBDA_FUNCTION_NAME: 'shopflow-build',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(build.memoryMb),
          TEMPORAL_ADDRESS: `127.0.0.1:${DEV_SERVER_PORT}`,
        },
      },
    );
    const tag = /V8_TAG (\d+)/.exec(run.stdout ?? '');
    if (run.status !== 0 || !tag)
      throw new Error(
        `making the compile cache (${mode}) failed (exit ${run.status}): ${run.stderr || run.stdout}\n` +
          'build with --no-compile-cache to package without it',
      );
    return Number(tag[1]);
  };
  // Node writes its entries for the user alone; Lambda runs the code as another user than the one that built it.
  const pack = (from: string, name: string) => {
    const packed = path.join(build.stageDir, COMPILE_CACHE_DIR, name);
    fs.copyFileSync(from, packed);
    fs.chmodSync(packed, 0o644);
  };
  try {
    const v8Tag = produce('node', nodeCacheDir);
    if (produce('code', codeCacheDir) !== v8Tag) throw new Error('the two compile cache runs reported other V8 tags');
    const [subdirectory] = fs.readdirSync(nodeCacheDir);
    const files = [build.handlerFile, build.threadFile];
    fs.mkdirSync(path.join(build.stageDir, COMPILE_CACHE_DIR), { recursive: true });
    for (const file of files) {
      const key = compileCacheKey(fs.realpathSync(path.join(build.stageDir, file)));
      const entry = path.join(nodeCacheDir, subdirectory, key);
      if (!fs.existsSync(entry))
        throw new Error(`Node ${node.version} made no compile cache entry for ${file} (looked for ${entry})`);
      pack(entry, `${file}.cache`);
    }
    for (const file of files) pack(path.join(codeCacheDir, `${file}.v8cache`), `${file}.v8cache`);
    return {
      node: node.version,
      arch: process.arch,
      v8Flags,
      memoryMb: build.memoryMb,
      v8Tag,
      files,
      codeCacheFiles: files,
    };
  } finally {
    fs.rmSync(nodeCacheDir, { recursive: true, force: true });
    fs.rmSync(codeCacheDir, { recursive: true, force: true });
  }
}
