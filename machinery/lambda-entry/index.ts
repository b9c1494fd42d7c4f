/**
 * The package's entry point (handler string `index.handler`). The package check runs before anything loads the
 * native Temporal module, so a wrong-architecture zip says so in plain words; then the compile cache is turned on,
 * and only then is the handler (its own file in the package) loaded, through its code cache when it can be.
 */

// First: its module evaluation marks the start of the handler's load.
import { withLoadMarks } from './load-marks';
import { checkPackage } from './check-package';
import { enablePackagedCompileCache, requirePackaged } from './compile-cache';

const info = checkPackage(__dirname);
const cache = enablePackagedCompileCache(__dirname, info?.compileCache);
const loaded = requirePackaged(__dirname, 'handler.js', info?.compileCache);
// One line either way: a cache that is not used costs a slower cold start, and must never be silent.
// V8 checks more than the tag (a Node patch whose V8 carries other patches is refused: bench cache-acceptance).
if (cache.used && loaded.rejected)
  console.warn(
    `ShopFlow compile cache: NOT used: ${loaded.how} (${cache.message}); rebuild with this Node ${process.version} ` +
      'pinned in machinery/plumbing/runtime-node.ts',
  );
else if (cache.used) console.log(`ShopFlow compile cache: used (${cache.message}; ${loaded.how})`);
else if (info?.compileCache) console.warn(`ShopFlow compile cache: NOT used: ${cache.message}`);
else console.log(`ShopFlow compile cache: none (${cache.message})`);

export const handler = withLoadMarks((loaded.exports as typeof import('../../lambda/handler')).handler);
