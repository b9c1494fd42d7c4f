/** The project's real ESLint, as `npm run lint` runs it, on in-memory snippets or real files, in one process per call. */

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

export interface Snippet {
  /** Where the snippet pretends to live, e.g. `workflows/example.ts` (the rules depend on the folder). */
  filePath: string;
  code: string;
}

export async function lint(request: Snippet[] | { files: string[] }): Promise<LintResult[]> {
  const running = run(process.execPath, [path.join(ROOT, 'test/support/lint-snippets.mjs')], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  running.child.stdin?.end(JSON.stringify(request));
  return JSON.parse((await running).stdout) as LintResult[];
}
