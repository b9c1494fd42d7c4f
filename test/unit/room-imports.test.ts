/**
 * The rooms as they are today, read from the code's own imports: no two rooms import each other (the lint zones
 * name the forbidden pairs one by one; this catches a pair nobody thought to name), and the story a customer reads
 * imports nothing from machinery/ or the presenter's rooms.
 */

import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const STORY = ['domain', 'config', 'workflows', 'activities', 'client', 'worker', 'lambda', 'starter'];
const SKIP = new Set(['node_modules', 'test', 'data', '.tools', '.git', 'dist', 'docs', 'infra']);
const IMPORT = /(?:from\s+|import\s*\(\s*|require\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** `machinery/<room>` for the machinery, else the top-level folder. */
function roomOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'machinery' ? parts.slice(0, 2).join('/') : parts[0];
}

function sourceFiles(dir = ''): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sourceFiles(rel);
    return dir && /\.(ts|cjs|mjs)$/.test(entry.name) ? [rel] : [];
  });
}

/** room -> room -> one import that shows it. */
function roomImports(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles()) {
    for (const [, spec] of fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const [from, to] = [roomOf(file), roomOf(target)];
      if (from === to || !target.includes('/')) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      edges.get(from)!.set(to, `${file} imports ${spec}`);
    }
  }
  return edges;
}

const edges = roomImports();

test('the tree was read: the rooms import what they are known to import', () => {
  expect(edges.get('lambda')?.has('activities')).toBe(true);
  expect(edges.get('machinery/devstack')?.has('machinery/lambda-local')).toBe(true);
  expect(edges.get('demo')?.has('machinery/devstack')).toBe(true);
});

test('no two rooms import each other', () => {
  const both: string[] = [];
  for (const [from, tos] of edges)
    for (const [to, example] of tos)
      if (from < to && edges.get(to)?.has(from)) both.push(`${example}, and ${edges.get(to)!.get(from)}`);
  expect(both).toEqual([]);
});

test("the story imports nothing from machinery/ or the presenter's rooms", () => {
  const leaks = STORY.flatMap((room) =>
    [...(edges.get(room) ?? [])].filter(([to]) => !STORY.includes(to)).map(([, example]) => example),
  );
  expect(leaks).toEqual([]);
});
