/** Small Lambda packages for testing the local Lambda service: each a zip holding one handler file. */

import fs from 'node:fs';
import path from 'node:path';
import { writeZip } from '../../scripts/lib/zip';

/**
 * Handlers, selected by the event's `action`: echo it back, fail, sleep, count invocations in this environment,
 * or append a line to a file. A background ticker writes to TICK_FILE every 50 ms, so a frozen environment shows.
 */
const HANDLER_SOURCE = (version: string) => `
const fs = require('node:fs');
let invocations = 0;
let ticks = 0;
if (process.env.TICK_FILE) {
  fs.writeFileSync(process.env.TICK_FILE, '0');
  setInterval(() => fs.writeFileSync(process.env.TICK_FILE, String(++ticks)), 50).unref();
}
exports.handler = async (event, context) => {
  invocations++;
  switch (event.action) {
    case 'fail': throw new TypeError('the handler failed on purpose');
    case 'sleep': await new Promise((r) => setTimeout(r, event.ms)); return { slept: event.ms };
    case 'append': fs.appendFileSync(event.file, context.awsRequestId + '\\n'); if (event.thenFail) throw new Error('append then fail'); return 'appended';
    default: return { version: ${JSON.stringify(version)}, event, invocations, pid: process.pid, remainingMs: context.getRemainingTimeInMillis(), requestId: context.awsRequestId, arn: context.invokedFunctionArn };
  }
};`;

export async function handlerZip(dir: string, version: string): Promise<Buffer> {
  const folder = fs.mkdtempSync(path.join(dir, 'fn-'));
  fs.writeFileSync(path.join(folder, 'index.js'), HANDLER_SOURCE(version));
  const zipFile = path.join(folder, 'function.zip');
  await writeZip([{ name: 'index.js', file: path.join(folder, 'index.js') }], zipFile);
  return fs.readFileSync(zipFile);
}
