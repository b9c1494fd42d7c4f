// A minimal Lambda runtime client for Node, used when AWS's own (npm aws-lambda-ric) is not installed.
// It follows the documented Runtime API: load the handler (reporting init errors to /init/error), then loop on
// /invocation/next, call the handler with the event and a context whose remaining time counts down to the
// deadline the API gives, and post the result to /response or the error to /error.
'use strict';
const http = require('node:http');
const path = require('node:path');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const BASE = '/2018-06-01/runtime';

function call(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        host,
        port,
        method,
        path: `${BASE}${urlPath}`,
        headers: { ...headers, ...(data && { 'content-length': data.length }) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function describeError(err, fallbackType) {
  const error = err instanceof Error ? err : new Error(String(err));
  return {
    errorType: error.name && error.name !== 'Error' ? error.name : fallbackType,
    errorMessage: error.message,
    stackTrace: (error.stack || '')
      .split('\n')
      .slice(1)
      .map((l) => l.trim()),
  };
}

function loadHandler() {
  const handlerString = process.argv[2] || process.env._HANDLER;
  const dot = handlerString.lastIndexOf('.');
  const file = handlerString.slice(0, dot);
  const name = handlerString.slice(dot + 1);
  let mod;
  try {
    mod = require(path.resolve(process.env.LAMBDA_TASK_ROOT, file));
  } catch (err) {
    const described = describeError(err, 'Runtime.ImportModuleError');
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(file))
      described.errorType = 'Runtime.ImportModuleError';
    throw described;
  }
  const handler = mod[name];
  if (typeof handler !== 'function') {
    throw {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${handlerString} is undefined or not exported`,
      stackTrace: [],
    };
  }
  return handler;
}

function invokeHandler(handler, event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) =>
      handler(event, context, (err, result) => (err ? reject(err) : resolve(result))),
    );
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function main() {
  let handler;
  try {
    handler = loadHandler();
  } catch (described) {
    await call('POST', '/init/error', described, { 'Lambda-Runtime-Function-Error-Type': described.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const event = next.body ? JSON.parse(next.body) : {};
      const result = await invokeHandler(handler, event, context);
      await call('POST', `/invocation/${id}/response`, JSON.stringify(result === undefined ? null : result));
    } catch (err) {
      const described = describeError(err, 'Error');
      await call('POST', `/invocation/${id}/error`, described, {
        'Lambda-Runtime-Function-Error-Type': described.errorType,
      });
    }
  }
}

main().catch((err) => {
  console.error('runtime client failed', err);
  process.exit(1);
});
