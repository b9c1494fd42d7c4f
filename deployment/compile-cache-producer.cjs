// Run by the runtime's Node at build time (deployment/compile-cache.ts), in a staged package folder, under Lambda's
// flags. Mode "node": loads the handler and starts the SDK's workflow thread file in a worker thread, as a cold
// start does, with Node's compile cache on in <cacheDir>, and flushes it. Mode "code": loads the handler the way
// lambda/cached-require.ts does (vm.Script of Module.wrap(source)) and writes the V8 code cache taken after its
// module body ran to <cacheDir>/<handlerFile>.v8cache. Both print the V8 tag they ran under.
// Usage: node <lambda flags> compile-cache-producer.cjs node|code <taskRoot> <cacheDir> <handlerFile> [<threadFile>]
const fs = require('node:fs');
const path = require('node:path');
const nodeModule = require('node:module');
const v8 = require('node:v8');
const vm = require('node:vm');
const { Worker } = require('node:worker_threads');

const [mode, taskRoot, cacheDir, handlerFile, threadFile] = process.argv.slice(2);
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT = taskRoot;
const done = () => {
  process.stdout.write(`\nV8_TAG ${v8.cachedDataVersionTag()}\n`);
  process.exit(0);
};

if (mode === 'code') {
  const filename = fs.realpathSync(path.join(taskRoot, handlerFile));
  const script = new vm.Script(nodeModule.wrap(fs.readFileSync(filename, 'utf8')), { filename });
  const loaded = new nodeModule(filename);
  loaded.filename = filename;
  require.cache[filename] = loaded;
  script
    .runInThisContext()
    .call(loaded.exports, loaded.exports, nodeModule.createRequire(filename), loaded, filename, path.dirname(filename));
  fs.writeFileSync(path.join(cacheDir, `${handlerFile}.v8cache`), script.createCachedData());
  done();
} else {
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
  thread.once('message', done);
  thread.once('error', (err) => {
    console.error(`the workflow thread file failed to load: ${err.stack ?? err}`);
    process.exit(1);
  });
}
