/**
 * The workflow thread's entry in the package: the SDK starts `workflow-worker-thread.js` from beside the handler in
 * a worker thread; this loads the SDK's thread code (workflow-thread-main.js) through its V8 code cache when it can,
 * as the handler is loaded, and says how in one line.
 */

import { readBuildInfo } from '../../lambda/build-info';
import { requirePackaged } from './compile-cache';

const loaded = requirePackaged(__dirname, 'workflow-thread-main.js', readBuildInfo(__dirname)?.compileCache);
if (readBuildInfo(__dirname)?.compileCache) console.log(`ShopFlow workflow thread: ${loaded.how}`);
