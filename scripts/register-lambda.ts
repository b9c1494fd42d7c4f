/**
 * `npm run register:lambda -- --function-arn ARN [--role-arn R --external-id X] [--no-set-current]`:
 * makes the Lambda the compute of this build's Worker Deployment Version and makes that version current.
 * Idempotent: running it again changes nothing; a new ARN updates the registration.
 */

import os from 'node:os';
import { NativeConnection } from '@temporalio/worker';
import { loadConnectionConfig } from '../config/connection';
import { workerDeploymentVersion } from '../config/environment';
import { loadDotEnv } from '../config/load-dotenv';
import { parseCommandLine, usageError } from './lib/command-line';
import { cliCommands, registerLambda, registeredTarget } from './lib/lambda-registration';

const USAGE = `Usage: npm run register:lambda -- --function-arn ARN [--role-arn ROLE --external-id ID] [--no-set-current]

Registers the Lambda function as the serverless worker of deployment version
$SHOPFLOW_DEPLOYMENT_NAME/$SHOPFLOW_BUILD_ID (default shopflow/v2) on the Temporal profile in use, then makes that
version current. --role-arn and --external-id name the IAM role Temporal assumes to invoke the function
(required by Temporal Cloud; see infra/iam-roles.json).`;

async function main(): Promise<void> {
  const values = parseCommandLine('register:lambda', USAGE, {
    'function-arn': { type: 'string' },
    'role-arn': { type: 'string' },
    'external-id': { type: 'string' },
    'no-set-current': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  if (!values['function-arn']) usageError('register:lambda', USAGE, '--function-arn is required');
  loadDotEnv();
  const temporal = loadConnectionConfig();
  const version = workerDeploymentVersion();
  const target = { functionArn: values['function-arn'], roleArn: values['role-arn'], externalId: values['external-id'] };
  console.log(`Registering ${target.functionArn} as ${version.deploymentName}/${version.buildId} on ${temporal.summary}...`);
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  try {
    const result = await registerLambda({
      connection,
      namespace: temporal.namespace,
      version,
      target,
      identity: `shopflow-register@${os.hostname()}`,
      makeCurrent: !values['no-set-current'],
    });
    const info = result.description;
    console.log(`Version ${result.action}${result.madeCurrent ? ', and made current' : ''}.`);
    console.log(`  Deployment version: ${version.deploymentName}/${version.buildId}`);
    console.log(`  Status:             ${info.status ?? 'unknown'}`);
    console.log(`  Lambda:             ${registeredTarget(info)?.functionArn ?? 'none'}`);
    console.log(`  Task queues:        ${(info.taskQueueInfos ?? []).map((q) => q.name).join(', ') || 'none yet (registered on first invocation)'}`);
    console.log('\nThe same with the Temporal CLI:');
    for (const command of cliCommands(version, target)) console.log(`  ${command}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`register:lambda: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
