// Loads a Lambda handler the way the Node runtime does (cwd and LAMBDA_TASK_ROOT = the package folder, the
// handler string naming file and export) in this fresh process, and prints how long the require took: wall time,
// and the process's CPU time over it (less moved by other work on a shared machine).
// Usage: node measure-handler-load.cjs <taskRoot> <handler, e.g. index.handler>
const path = require('node:path');

const [taskRoot, handlerString] = process.argv.slice(2);
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT = taskRoot;
const dot = handlerString.lastIndexOf('.');
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const handler = require(path.join(taskRoot, handlerString.slice(0, dot)))[handlerString.slice(dot + 1)];
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
if (typeof handler !== 'function') {
  console.error(`${handlerString} is not a function in ${taskRoot}`);
  process.exit(1);
}
process.stdout.write(`\nLOAD_MS ${loadMs} CPU_MS ${(cpu.user + cpu.system) / 1000}\n`);
process.exit(0);
