/** Bundles the page (console/web, uPlot from npm) with esbuild into static files the console serves: no CDN. */

import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { DATA_DIR, PROJECT_ROOT } from '../machinery/plumbing/project-paths';

export interface WebBundle {
  dir: string;
  files: Map<string, { body: Buffer; type: string }>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Builds the bundle in memory and serves exactly that; the files are also written to `outDir` (each through a
 * rename, so two consoles starting at once never leave a half-written file there).
 */
export async function buildWebBundle(outDir = path.join(DATA_DIR, 'console-web')): Promise<WebBundle> {
  fs.mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(PROJECT_ROOT, 'console/web/main.ts')],
    bundle: true,
    outfile: path.join(outDir, 'app.js'),
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    const body = Buffer.from(output.contents);
    files.set(`/${name}`, { body, type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
    const temporary = `${output.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, body);
    fs.renameSync(temporary, output.path);
  }
  return { dir: outDir, files };
}

/** The page's HTML, with the per-run token the control requests must carry. */
export function indexHtml(token: string, title: string): string {
  const template = fs.readFileSync(path.join(PROJECT_ROOT, 'console/web/index.html'), 'utf8');
  return template.replace('__TOKEN__', token).replace(/__TITLE__/g, title.replace(/[<>&"]/g, ''));
}
