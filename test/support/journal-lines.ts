/** The raw effect journal of a test worker, read from its file: proof that nothing happened is "no new line". */

import fs from 'node:fs';

export function journalLines(file: string): string[] {
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
    : [];
}
