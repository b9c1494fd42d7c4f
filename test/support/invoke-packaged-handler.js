// Loads a Lambda handler from an unpacked package and invokes it once, the way the Lambda Node runtime does:
// cwd and LAMBDA_TASK_ROOT are the package folder, the handler string names file and export, and the context's
// remaining time counts down to a real deadline. Plain JavaScript, run in a fresh process: it sees nothing of the
// project's node_modules. Prints one JSON line: {"ok":true,"result":...} or {"ok":false,"error":...}.
// Usage: node invoke-packaged-handler.js <taskRoot> <handler, e.g. index.handler> <timeoutMs>
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const [taskRoot, handlerString, timeoutMs] = process.argv.slice(2);
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT = taskRoot;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || 'shopflow';
const region = process.env.AWS_REGION || 'us-east-1';
const [file, exportName] = handlerString.split('.');

const loadStarted = process.hrtime.bigint();
const handler = require(path.join(taskRoot, file))[exportName];
const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;

const deadline = Date.now() + Number(timeoutMs);
const context = {
  awsRequestId: randomUUID(),
  invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
  functionName,
  functionVersion: '$LATEST',
  memoryLimitInMB: '1024',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
const report = (line) =>
  process.stdout.write(`\nINVOCATION ${JSON.stringify({ ...line, loadMs, requestId: context.awsRequestId })}\n`);
Promise.resolve(handler({}, context)).then(
  (result) => {
    report({ ok: true, result });
    process.exit(0);
  },
  (error) => {
    report({ ok: false, error: String(error && error.message ? error.message : error) });
    process.exit(1);
  },
);
