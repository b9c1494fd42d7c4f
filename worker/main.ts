/** `npm run worker`: a long-lived, versioned ShopFlow worker. Ctrl+C drains gracefully; a second Ctrl+C exits at once. */

import os from 'node:os';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createDefaultActivities } from '../activities';
import { describeLedgerConfig } from '../activities/ledger/open-ledger';
import { isTemporalCloudAddress, loadConnectionConfig } from '../config/connection';
import { checkLedgerForTemporal } from '../config/ledger-config';
import { loadShopFlowEnvironment } from '../config/environment';
import { loadDotEnv } from '../config/load-dotenv';
import { LOCAL_WORKER_SHUTDOWN_GRACE_MS } from '../config/settings';
import { createConsoleLogger } from './console-logger';
import { WORKER_READY_TEXT } from './readiness';
import { connectToTemporal } from './connect';
import { ensureCurrentVersion, setCurrentCommand } from './ensure-current-version';
import { shopFlowWorkerOptions, versioningOptions, workflowsSourcePath } from './worker-options';

async function main(): Promise<void> {
  loadDotEnv();
  const environment = loadShopFlowEnvironment();
  const temporal = loadConnectionConfig();
  const address = temporal.connectionOptions.address ?? '';
  checkLedgerForTemporal(environment.ledger, address, isTemporalCloudAddress(address));
  const { version } = environment;
  const identity = `${process.pid}@${os.hostname()}`;

  // Signals are ours to handle: the first one drains, the second one exits.
  Runtime.install({ logger: createConsoleLogger(), shutdownSignals: [] });
  console.log(`ShopFlow worker ${identity}`);
  console.log(`  Temporal:   ${temporal.summary}`);
  console.log(`  Deployment: ${version.deploymentName}, build ${version.buildId}`);
  console.log(`  Ledger:     ${describeLedgerConfig(environment.ledger)}`);
  console.log('Bundling workflow code and connecting...');

  const connection = await connectToTemporal(temporal);
  // Bundled here, quietly, rather than by Worker.create, which logs webpack's whole report.
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: workflowsSourcePath(),
    logger: new DefaultLogger('WARN'),
  });
  const worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    identity,
    ...shopFlowWorkerOptions({
      activities: createDefaultActivities(environment, () => identity),
      workflows: { workflowBundle },
    }),
    workerDeploymentOptions: versioningOptions(version),
    shutdownGraceTime: LOCAL_WORKER_SHUTDOWN_GRACE_MS,
  });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`\n${signal} again: exiting now. In-flight activities will be retried by another worker.`);
      process.exit(130);
    }
    stopping = true;
    console.log(
      `\n${signal}: finishing in-flight tasks for up to ${LOCAL_WORKER_SHUTDOWN_GRACE_MS / 1000} s, then handing the rest back ` +
        'to Temporal for retry (Ctrl+C again to exit at once)...',
    );
    worker.shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const running = worker.run();
  const routing = await ensureCurrentVersion({ connection, namespace: temporal.namespace, version, identity });
  if (routing.outcome === 'made-current')
    console.log(`Made ${version.deploymentName}/${version.buildId} the Current Version.`);
  if (routing.outcome === 'other-version-current') {
    console.warn(
      `Note: the Current Version is build ${routing.currentBuildId}, so new orders go there; this worker runs only ` +
        `orders pinned to ${version.buildId}. To send new orders here: ${setCurrentCommand(version)}`,
    );
  }
  console.log(`Polling task queue ${worker.options.taskQueue}. ${WORKER_READY_TEXT} (npm run starter)...`);
  await running;
  await connection.close();
  console.log('Worker stopped cleanly.');
}

main().catch((err: unknown) => {
  console.error(`Worker failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
