// Run by the runtime's Node at build time (machinery/deployment/compile-cache.ts), in a staged package folder, under Lambda's
// flags. Mode "node": loads the handler, and the workflow thread entry in a worker thread as the SDK does, with
// Node's compile cache on in <cacheDir>, and flushes it. Mode "code": loads the handler, and the SDK's thread code in
// a worker thread, the way machinery/lambda-entry/cached-require.ts does (vm.Script of Module.wrap(source)) and writes the V8 code
// cache taken after each module body ran to <cacheDir>/<file>.v8cache. Both print the V8 tag they ran under.
// Usage: node <lambda flags> compile-cache-producer.cjs node|code <taskRoot> <cacheDir> <handlerFile> <threadEntry>
//        <threadFile>
const path = require('node:path');
const nodeModule = require('node:module');
const v8 = require('node:v8');
const { Worker } = require('node:worker_threads');

const [mode, taskRoot, cacheDir, handlerFile, threadEntry, threadFile] = process.argv.slice(2);
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT = taskRoot;

/** Source run in this thread and in the worker: loads `file` and, in mode "code", writes its post-load cache. */
const load = (file) => `
  const fs = require('node:fs');
  const path = require('node:path');
  const nodeModule = require('node:module');
  const vm = require('node:vm');
  const filename = fs.realpathSync(${JSON.stringify(path.join(taskRoot, file))});
  if (${JSON.stringify(mode)} === 'code') {
    const script = new vm.Script(nodeModule.wrap(fs.readFileSync(filename, 'utf8')), { filename });
    const loaded = new nodeModule(filename);
    loaded.filename = filename;
    require.cache[filename] = loaded;
    script
      .runInThisContext()
      .call(loaded.exports, loaded.exports, nodeModule.createRequire(filename), loaded, filename, path.dirname(filename));
    fs.writeFileSync(${JSON.stringify(path.join(cacheDir, `${file}.v8cache`))}, script.createCachedData());
  } else {
    require(filename);
    nodeModule.flushCompileCache();
  }`;

if (mode === 'node') {
  const enabled = nodeModule.enableCompileCache(cacheDir);
  if (enabled.status !== nodeModule.constants.compileCacheStatus.ENABLED) {
    console.error(`compile cache not enabled: ${enabled.message ?? enabled.status}`);
    process.exit(1);
  }
  process.env.NODE_COMPILE_CACHE = cacheDir;
}
new Function('require', load(handlerFile))(require);
// The SDK's thread code refuses to load on the main thread: load it in a worker, as the SDK does.
const thread = new Worker(
  `${load(mode === 'code' ? threadFile : threadEntry)}
   require('node:worker_threads').parentPort.postMessage('loaded');`,
  { eval: true },
);
thread.once('message', () => {
  process.stdout.write(`\nV8_TAG ${v8.cachedDataVersionTag()}\n`);
  process.exit(0);
});
thread.once('error', (err) => {
  console.error(`the workflow thread code failed to load: ${err.stack ?? err}`);
  process.exit(1);
});
