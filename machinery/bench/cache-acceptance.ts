/**
 * Does a compile cache made by one Node 22 patch work on another? AWS's nodejs22.x takes Node's patch updates by
 * itself, and the cache is made at build time by one pinned patch. For each Node version A the package's cache is
 * made by A (machinery/deployment/compile-cache.ts, Lambda's flags for the bench memory), then the handler is loaded in a fresh
 * process by each version B, as in the package section: whether the entry's log line says the cache was used (and
 * V8 did not reject the code cache), and the load's wall and CPU time, beside the same package with no cache.
 */

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { produceCompileCache } from '../deployment/compile-cache';
import { extractZip } from '../plumbing/zip';
import { ensureNodeVersion, type RuntimeNode } from '../plumbing/runtime-node';
import type { BuildInfo } from '../../lambda/build-info';
import { lambdaNodeFlags } from '../lambda-entry/runtime-flags';
import type { BenchStack } from './bench-stack';
import { BENCH_MEMORY_MB, buildForDeployment } from './bench-functions';
import { measureLoad } from './package-size';
import { median, round } from './stats';
import { benchName } from './versioned-worker';

export interface CacheAcceptanceCell {
  /** The Node that made the cache ('none': the package without one). */
  madeBy: string;
  loadedBy: string;
  /** The entry's log line said "used" and V8 did not reject the handler's code cache. */
  used: boolean;
  /** The entry's log line about the cache, as the function's log would have it. */
  line: string;
  medianLoadMs: number;
  medianLoadCpuMs: number;
}

export interface CacheAcceptanceResult {
  /** Each version with its V8 and V8 tag under Lambda's flags for the bench memory. */
  nodes: { version: string; v8: string; v8Tag: number }[];
  cells: CacheAcceptanceCell[];
  /** Versions that could not be had here, and why. */
  skipped: string[];
}

function describeNode(node: RuntimeNode): { version: string; v8: string; v8Tag: number } {
  const run = spawnSync(
    node.executable,
    [...lambdaNodeFlags(BENCH_MEMORY_MB), '-p', 'process.versions.v8 + " " + require("v8").cachedDataVersionTag()'],
    { encoding: 'utf8' },
  );
  const [v8, tag] = run.stdout.trim().split(' ');
  return { version: node.version, v8, v8Tag: Number(tag) };
}

const cacheLine = (output: string) =>
  output.split('\n').find((l) => l.startsWith('ShopFlow compile cache:')) ?? '(no compile cache line)';

export async function measureCacheAcceptance(
  stack: BenchStack,
  versions: readonly string[],
  reps: number,
): Promise<CacheAcceptanceResult> {
  const dir = path.join(stack.workDir, 'cache-acceptance');
  fs.mkdirSync(dir, { recursive: true });
  const nodes: RuntimeNode[] = [];
  const skipped: string[] = [];
  for (const version of versions) {
    const node = ensureNodeVersion(version, `Node ${version}`, stack.log);
    if (node.warning) skipped.push(`${version}: ${node.warning}`);
    else nodes.push(node);
  }
  const zip = await buildForDeployment(stack, benchName('bench-cache'), undefined, { compileCache: false });
  const plain = path.join(dir, 'none');
  await extractZip(zip, plain);

  const packages: { madeBy: string; dir: string }[] = [{ madeBy: 'none', dir: plain }];
  for (const node of nodes) {
    const packageDir = path.join(dir, node.version);
    fs.cpSync(plain, packageDir, { recursive: true });
    const compileCache = produceCompileCache({
      stageDir: packageDir,
      handlerFile: 'handler.js',
      threadEntry: 'workflow-worker-thread.js',
      threadFile: 'workflow-thread-main.js',
      memoryMb: BENCH_MEMORY_MB,
      log: (line) => stack.log(`  ${line.trim()}`),
      node,
    });
    const infoFile = path.join(packageDir, 'build-info.json');
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as BuildInfo;
    fs.writeFileSync(infoFile, JSON.stringify({ ...info, compileCache }, null, 2));
    packages.push({ madeBy: node.version, dir: packageDir });
  }

  const cells: CacheAcceptanceCell[] = [];
  for (const made of packages) {
    for (const loader of nodes) {
      const loads = Array.from({ length: reps }, () => measureLoad(loader.executable, made.dir, 'index.handler'));
      const line = cacheLine(loads[0].output);
      const used = loads.every((l) => cacheLine(l.output).includes('compile cache: used'));
      cells.push({
        madeBy: made.madeBy,
        loadedBy: loader.version,
        used: made.madeBy !== 'none' && used,
        line,
        medianLoadMs: round(median(loads.map((l) => l.wallMs)), 0),
        medianLoadCpuMs: round(median(loads.map((l) => l.cpuMs)), 0),
      });
      stack.log(
        `  cache by ${made.madeBy}, loaded by ${loader.version}: ${cells.at(-1)!.medianLoadMs} ms ` +
          `(CPU ${cells.at(-1)!.medianLoadCpuMs}): ${line}`,
      );
    }
  }
  return { nodes: nodes.map(describeNode), cells, skipped };
}

/** The A x B table: a row per cache maker, a column per loader, each cell "used"/"NOT used" with its load time. */
export function renderCacheAcceptance(
  result: CacheAcceptanceResult,
  table: (headers: string[], rows: string[][]) => string,
): string {
  const loaders = result.nodes.map((n) => n.version);
  const makers = [...new Set(result.cells.map((c) => c.madeBy))];
  const rows = makers.map((madeBy) => [
    madeBy === 'none' ? 'no cache (baseline)' : `cache by ${madeBy}`,
    ...loaders.map((loadedBy) => {
      const cell = result.cells.find((c) => c.madeBy === madeBy && c.loadedBy === loadedBy);
      if (!cell) return '';
      const verdict = madeBy === 'none' ? '' : cell.used ? 'used, ' : 'NOT used, ';
      return `${verdict}${cell.medianLoadMs} ms (CPU ${cell.medianLoadCpuMs})`;
    }),
  ]);
  const nodes = result.nodes.map((n) => `${n.version}: V8 ${n.v8}, tag ${n.v8Tag}`).join('; ');
  return [
    `Compile cache acceptance: handler load in a fresh process, made by (row) x loaded by (column) (${nodes}):`,
    table(['', ...loaders.map((v) => `loaded by ${v}`)], rows),
    ...result.skipped.map((s) => `  skipped ${s}`),
  ].join('\n');
}
