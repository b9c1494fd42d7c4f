// Lints code snippets as if they were project files, with the project's real ESLint configuration, in one process
// (type information is built once). Input on stdin: [{ filePath, code }] or { files: [...] }; output: ESLint's results.
// Run as its own process: ESLint loads its flat config with a dynamic import, which jest's module sandbox refuses.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });
let input = '';
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const results = Array.isArray(request)
  ? (
      await Promise.all(
        request.map(({ filePath, code }) => eslint.lintText(code, { filePath: path.join(root, filePath) })),
      )
    ).flat()
  : await eslint.lintFiles(request.files);
process.stdout.write(JSON.stringify(results.map(({ filePath, messages }) => ({ filePath, messages }))));
