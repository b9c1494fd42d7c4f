/** `npm run dev-server`: a real Temporal dev server on 127.0.0.1:7233 (UI on 8233), state kept in data/. */

import fs from 'node:fs';
import path from 'node:path';
import { devServerPorts } from '../config/environment';
import { DEV_SERVER_PORT, DEV_SERVER_UI_PORT } from '../config/settings';
import { LOCAL_LAMBDA_DEFAULTS } from '../machinery/lambda-local/settings';
import { localLambdaEnvironment, startDevServer } from '../machinery/devstack/dev-server';
import { isPortFree } from '../machinery/plumbing/ports';
import { DATA_DIR } from '../machinery/plumbing/project-paths';
import { ensureTemporalCli } from '../machinery/devstack/temporal-cli';
import { parseCommandLine, runEntryPoint } from '../client/command-line';

const USAGE = `Usage: npm run dev-server

Starts a Temporal dev server with the worker controller on (it invokes serverless workers through the local Lambda
service). Ports: SHOPFLOW_DEV_SERVER_PORT (default ${DEV_SERVER_PORT}) and SHOPFLOW_DEV_SERVER_UI_PORT (default ${DEV_SERVER_UI_PORT}).`;

async function main(): Promise<void> {
  if (parseCommandLine({ help: { type: 'boolean', short: 'h' } }).help) return console.log(USAGE);
  const { grpc: PORT, ui: UI_PORT } = devServerPorts();
  for (const [name, port] of [
    ['gRPC', PORT],
    ['Web UI', UI_PORT],
  ] as const) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `port ${port} (${name}) is already in use: a dev server is probably running already (then just use it), ` +
          'or set SHOPFLOW_DEV_SERVER_PORT / SHOPFLOW_DEV_SERVER_UI_PORT to free ports',
      );
    }
  }
  const cli = ensureTemporalCli();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const dbFile = path.join(DATA_DIR, 'temporal-dev.db');
  console.log(`Starting the Temporal dev server (${cli}); state in ${path.relative(process.cwd(), dbFile)}...`);
  const aws = localLambdaEnvironment(`http://127.0.0.1:${LOCAL_LAMBDA_DEFAULTS.port}`);
  const server = await startDevServer({ cli, port: PORT, uiPort: UI_PORT, dbFile, env: aws });
  console.log(`Temporal dev server ready at ${server.address}; Web UI ${server.uiUrl}`);
  console.log(`Worker controller on: it invokes serverless workers through the Lambda API at ${aws.AWS_ENDPOINT_URL}`);
  console.log('(start the local Lambda service there with `npm run lambda-local`). Ctrl+C stops the server.');

  const stop = () => {
    console.log('\nStopping the dev server...');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.on('exit', (code) => {
    console.log(`The dev server exited (code ${code}).`);
    process.exit(code ?? 1);
  });
}

runEntryPoint('dev-server', USAGE, main);
