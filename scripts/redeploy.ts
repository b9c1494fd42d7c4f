/**
 * `npm run redeploy -- --function NAME [--ramp PERCENT] [--zip FILE --skip-build]`: ships the current code to the
 * Lambda without breaking an order in flight: build, guard, publish a version, register it, make it current (or
 * ramp), then show which versions still have open orders and how to retire them once drained.
 */

import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConnectionConfig } from '../config/connection';
import { loadDotEnv } from '../config/load-dotenv';
import { isLambdaArchitecture } from '../config/lambda-architecture';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { lambdaClient } from '../machinery/deployment/lambda-deployment';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';
import { redeploy } from '../machinery/deployment/redeploy';
import { formatVersionTable, retirementAdvice } from '../machinery/deployment/version-drainage';
import { VERSION_DRAINAGE_REFRESH_S } from '../config/settings';

const USAGE = `Usage: npm run redeploy -- --function NAME [--ramp PERCENT] [--arch x86_64|arm64]
                              [--role-arn ARN --external-id ID] [--zip FILE [--skip-build]]

Builds dist/function.zip for $SHOPFLOW_BUILD_ID, checks the build id may take it (a build id keeps one workflow
bundle: changed workflow code needs a new build id), publishes a Lambda version, registers its ARN and makes it
the Current Version, or with --ramp sends PERCENT (1-100) of new orders to it. Orders in flight stay on theirs.
  --function NAME  the Lambda function (it must exist: npm run deploy:lambda -- --create ...)
  --arch A         the package's architecture; default and only choice: the function's own (GetFunction)
  --role-arn ARN, --external-id ID
                   the role Temporal assumes to invoke the function (Temporal Cloud requires both); default: the
                   role and external id this build id, or else the Current Version, is registered with
  --zip FILE       where the package goes (default dist/function.zip); with --skip-build, ship it as it is`;

async function main(): Promise<void> {
  const values = parseCommandLine({
    function: { type: 'string' },
    ramp: { type: 'string' },
    arch: { type: 'string' },
    'role-arn': { type: 'string' },
    'external-id': { type: 'string' },
    zip: { type: 'string' },
    'skip-build': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  if (!values.function) throw new UsageError('--function is required');
  const ramp = values.ramp === undefined ? undefined : Number(values.ramp);
  if (ramp !== undefined && !(Number.isInteger(ramp) && ramp >= 1 && ramp <= 100)) {
    throw new UsageError(`--ramp must be a whole percentage from 1 to 100 (got "${values.ramp}")`);
  }
  const arch = values.arch;
  if (arch !== undefined && !isLambdaArchitecture(arch))
    throw new UsageError(`--arch must be x86_64 or arm64 (got "${values.arch}")`);
  if (Boolean(values['role-arn']) !== Boolean(values['external-id']))
    throw new UsageError('--role-arn and --external-id go together (the trust policy requires the external id)');
  loadDotEnv();
  const temporal = loadConnectionConfig();
  // The guard's history replay runs a replay worker: its state changes are not news here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const lambda = lambdaClient();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  try {
    const result = await redeploy({
      lambda,
      connection,
      namespace: temporal.namespace,
      functionName: values.function,
      zipFile: path.resolve(values.zip ?? path.join(PROJECT_ROOT, 'dist', 'function.zip')),
      skipBuild: Boolean(values['skip-build']),
      arch,
      role: { roleArn: values['role-arn'], externalId: values['external-id'] },
      rampPercent: ramp,
      identity: `shopflow-redeploy@${os.hostname()}`,
      log: console.log,
    });
    const s = result.seconds;
    console.log(
      `\nRedeployed ${result.version.deploymentName}/${result.version.buildId} in ${s.total.toFixed(1)} s ` +
        `(build ${s.build.toFixed(1)}, guard ${s.guard.toFixed(1)}, publish ${s.publish.toFixed(1)}, ` +
        `register ${s.register.toFixed(1)}).`,
    );
    console.log('\nVersions (open orders from visibility; nothing here wakes a worker):');
    for (const line of formatVersionTable(result.versions)) console.log(`  ${line}`);
    const refreshS = isLocalAddress(temporal.connectionOptions.address)
      ? VERSION_DRAINAGE_REFRESH_S.devServer
      : VERSION_DRAINAGE_REFRESH_S.default;
    const advice = retirementAdvice(
      [{ at: Date.now(), rows: result.versions }],
      result.version.deploymentName,
      refreshS,
    );
    if (advice.length > 0) console.log(`\n${advice.join('\n')}`);
  } finally {
    lambda.destroy();
    await connection.close();
  }
}

/** A server on this machine is the dev server, which re-checks drainage every few seconds. */
function isLocalAddress(address: string | undefined): boolean {
  return /^(127\.0\.0\.1|localhost)(:|$)/.test(address ?? '');
}

runEntryPoint('redeploy', USAGE, main);
