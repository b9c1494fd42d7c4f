/** Folders of the project that scripts and tests share. */

import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** Tools the project installs for itself (the Temporal CLI); git ignores it. */
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
/** Runtime state: the journal, the dev server's database, logs; git ignores it. */
export const DATA_DIR = path.join(PROJECT_ROOT, 'data');
