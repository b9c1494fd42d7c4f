// Run by the runtime's Node at build time (deployment/compile-cache.ts), in a staged package folder: loads the
// handler and starts the SDK's workflow thread file in a worker thread, as a cold start does, with Node's compile
// cache on, flushes the cache, and prints the V8 tag it was made under.
// Usage: node <lambda flags> compile-cache-producer.cjs <taskRoot> <cacheDir> <handlerFile> <workflowThreadFile>
const path = require('node:path');
const nodeModule = require('node:module');
const v8 = require('node:v8');
const { Worker } = require('node:worker_threads');

const [taskRoot, cacheDir, handlerFile, threadFile] = process.argv.slice(2);
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT = taskRoot;
const enabled = nodeModule.enableCompileCache(cacheDir);
if (enabled.status !== nodeModule.constants.compileCacheStatus.ENABLED) {
  console.error(`compile cache not enabled: ${enabled.message ?? enabled.status}`);
  process.exit(1);
}
process.env.NODE_COMPILE_CACHE = cacheDir;
require(path.join(taskRoot, handlerFile));
nodeModule.flushCompileCache();

// The workflow thread file refuses to load on the main thread: load it in a worker, as the SDK does.
const thread = new Worker(
  `require(${JSON.stringify(path.join(taskRoot, threadFile))});
   require('node:module').flushCompileCache();
   require('node:worker_threads').parentPort.postMessage('loaded');`,
  { eval: true },
);
thread.once('message', () => {
  process.stdout.write(`\nV8_TAG ${v8.cachedDataVersionTag()}\n`);
  process.exit(0);
});
thread.once('error', (err) => {
  console.error(`the workflow thread file failed to load: ${err.stack ?? err}`);
  process.exit(1);
});
