/**
 * `npm run register:lambda -- --function-arn ARN:N [--role-arn R --external-id X] [--no-set-current] [--allow-latest]`:
 * makes a published Lambda version the compute of this build's Worker Deployment Version and makes that version
 * current. The guard runs first (same workflow code for a build id, never another function's build id).
 * Idempotent: running it again changes nothing; a new ARN updates the registration.
 */

import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConnectionConfig } from '../config/connection';
import { workerDeploymentVersion } from '../config/environment';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../config/settings';
import { loadDotEnv } from '../config/load-dotenv';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { lambdaClient } from '../machinery/deployment/lambda-deployment';
import {
  cliCommands,
  registerLambda,
  registeredCooloffMs,
  registeredTarget,
  validateTarget,
} from '../machinery/deployment/lambda-registration';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';
import { guardRegistration } from '../machinery/deployment/registration-guard';
import { NO_ROLE, resolveInvocationRole } from '../machinery/deployment/invocation-role';

const USAGE = `Usage: npm run register:lambda -- --function-arn ARN:VERSION [--role-arn ROLE --external-id ID] [--no-set-current]
                                 [--allow-latest] [--zip FILE] [--scale-up-cooloff-ms MS]

Registers a published version of the Lambda function (its ARN ends in :N; npm run deploy:lambda prints it) as the serverless worker of deployment version
$SHOPFLOW_DEPLOYMENT_NAME/$SHOPFLOW_BUILD_ID (default shopflow/v2) on the Temporal profile in use, then makes that
version current. --role-arn and --external-id name the IAM role Temporal assumes to invoke the function
(required by Temporal Cloud; see infra/iam-roles.json).
Before reusing a build id it checks that the version runs the same workflow code as the one registered, and
replays the recorded histories on the package (--zip, default dist/function.zip) when it is that code.
  --allow-latest  accept an unqualified ARN ($LATEST); not safe for orders in flight (a warning says why)
  --scale-up-cooloff-ms MS  at most one invocation per MS for tasks that find no poller (default
                  ${LAMBDA_SCALE_UP_COOLOFF_MS}: longer than a cold start, so a burst does not start an environment per task;
                  0-600000; Temporal's own default is 100). The function keeps an invocation that got no task
                  polling through the default cool-off; with a longer one, a task arriving late in it can wait
                  for the controller's backlog check (up to a minute)`;

async function main(): Promise<void> {
  const values = parseCommandLine({
    'function-arn': { type: 'string' },
    'role-arn': { type: 'string' },
    'external-id': { type: 'string' },
    'no-set-current': { type: 'boolean' },
    'allow-latest': { type: 'boolean' },
    zip: { type: 'string' },
    'scale-up-cooloff-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  if (!values['function-arn']) throw new UsageError('--function-arn is required');
  const cooloff = values['scale-up-cooloff-ms'] ?? String(LAMBDA_SCALE_UP_COOLOFF_MS);
  if (!/^\d{1,6}$/.test(cooloff) || Number(cooloff) > 600_000) {
    throw new UsageError(
      `--scale-up-cooloff-ms must be a whole number of milliseconds from 0 to 600000 (got "${cooloff}")`,
    );
  }
  loadDotEnv();
  const temporal = loadConnectionConfig();
  const version = workerDeploymentVersion();
  const given = { roleArn: values['role-arn'], externalId: values['external-id'] };
  const flagged = { functionArn: values['function-arn'], ...given };
  const allowLatest = Boolean(values['allow-latest']);
  validateTarget(flagged, allowLatest); // before connecting to anything
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the guard's replay worker: its state changes are not news
  console.log(
    `Registering ${flagged.functionArn} as ${version.deploymentName}/${version.buildId} on ${temporal.summary}...`,
  );
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  const lambda = lambdaClient();
  try {
    // Flags win; else the role this build id, or else the Current Version, is registered with: nothing strips it.
    const role = await resolveInvocationRole(connection, temporal.namespace, version, given);
    if (!role.roleArn) throw new UsageError(NO_ROLE);
    const target = { functionArn: flagged.functionArn, roleArn: role.roleArn, externalId: role.externalId };
    console.log(`Invocation role ${role.roleArn} with its external id (from ${role.source})`);
    const verdict = await guardRegistration({
      lambda,
      connection,
      namespace: temporal.namespace,
      version,
      functionArn: target.functionArn,
      allowLatest,
      zipFile: path.resolve(values.zip ?? path.join(PROJECT_ROOT, 'dist', 'function.zip')),
    });
    console.log(`Guard: ${verdict}`);
    const result = await registerLambda({
      allowLatest,
      connection,
      namespace: temporal.namespace,
      version,
      target,
      identity: `shopflow-register@${os.hostname()}`,
      makeCurrent: !values['no-set-current'],
      scaleUpCooloffMs: Number(cooloff),
    });
    if (result.warning) console.log(result.warning);
    const info = result.description;
    console.log(`Version ${result.action}${result.madeCurrent ? ', and made current' : ''}.`);
    console.log(`  Deployment version: ${version.deploymentName}/${version.buildId}`);
    console.log(`  Status:             ${info.status ?? 'unknown'}`);
    console.log(`  Lambda:             ${registeredTarget(info)?.functionArn ?? 'none'}`);
    const registeredCooloff = registeredCooloffMs(info);
    console.log(
      `  Scaler:             no-sync, scale-up cool-off ${registeredCooloff ?? "Temporal's default (100)"} ms`,
    );
    console.log(
      `  Task queues:        ${(info.taskQueueInfos ?? []).map((q) => q.name).join(', ') || 'none yet (registered on first invocation)'}`,
    );
    console.log(
      "\nThe same with the Temporal CLI (it has no flag for the scaler's cool-off, so it keeps Temporal's default):",
    );
    for (const command of cliCommands(version, target)) console.log(`  ${command}`);
  } finally {
    lambda.destroy();
    await connection.close();
  }
}

runEntryPoint('register:lambda', USAGE, main);
