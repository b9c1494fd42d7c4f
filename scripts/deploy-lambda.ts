/**
 * `npm run deploy:lambda -- --function NAME [--zip FILE] [--no-publish]`: uploads dist/function.zip to the function
 * and publishes a numbered version labelled with its build id and workflow hash (the ARN to register).
 * `--create --role ARN [--arch x86_64|arm64] [--timeout S] [--memory MB] [--ledger L] [--env K=V ...]` creates it
 * first, with SHOPFLOW_LEDGER set: on AWS every execution environment has its own /tmp, so the ledger is a table.
 * Works against AWS or, with AWS_ENDPOINT_URL, the local Lambda service.
 */

import path from 'node:path';
import { ConfigError } from '../config/config-error';
import { isLambdaArchitecture } from '../config/lambda-architecture';
import { loadLedgerConfig } from '../config/ledger-config';
import {
  LAMBDA_DEFAULT_MEMORY_MB,
  LAMBDA_DEFAULT_MEMORY_REASON,
  LAMBDA_RECOMMENDED_TIMEOUT_S,
} from '../config/settings';
import { loadDotEnv } from '../config/load-dotenv';
import { deployLambda, lambdaClient, type CreateSettings } from '../machinery/deployment/lambda-deployment';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';

const DEFAULT_FUNCTION_LEDGER = 'dynamodb:shopflow-ledger';

const USAGE = `Usage: npm run deploy:lambda -- --function NAME [--zip FILE] [--no-publish]
       npm run deploy:lambda -- --function NAME --create --role EXECUTION_ROLE_ARN
                                [--arch x86_64|arm64] [--timeout SECONDS] [--memory MB] [--ledger LEDGER]
                                [--env KEY=VALUE ...]

  --function NAME  the Lambda function (name or ARN)
  --zip FILE       the package (default dist/function.zip, from npm run build:lambda)
  --no-publish     only update $LATEST; by default a numbered version is published after the upload, labelled
                   with the build id and workflow hash (register that version's ARN, never $LATEST)
  --create         create the function if it does not exist (runtime nodejs22.x, handler index.handler)
  --role ARN       the function's execution role (infra/iam-roles.json creates one)
  --arch           must match the package (default x86_64)
  --timeout        seconds (default ${LAMBDA_RECOMMENDED_TIMEOUT_S}: the longest activity + 7 s, at least 60)
  --memory         MB (default ${LAMBDA_DEFAULT_MEMORY_MB}; Lambda gives a function 1 vCPU per 1769 MB, less below):
${LAMBDA_DEFAULT_MEMORY_REASON.map((line) => `                   ${line}`).join('\n')}
  --ledger LEDGER  SHOPFLOW_LEDGER of the function (default ${DEFAULT_FUNCTION_LEDGER}, the table infra/iam-roles.json
                   creates): every worker must share it, and a Lambda's /tmp is its own
  --env KEY=VALUE  environment variables, e.g. TEMPORAL_PROFILE=cloud (repeatable; values are never printed).
                   NODE_OPTIONS=--enable-source-maps maps stack traces to the TypeScript sources, at 0.2-0.4 s per
                   cold start (docs/bench.md); without it traces keep function names and handler.js.map is in the zip`;

function usage(message: string): never {
  throw new UsageError(message);
}

const API_KEY_IN_ENVIRONMENT =
  '--env TEMPORAL_API_KEY would freeze the key into every published version (rotating it strands the orders pinned to ' +
  'older ones) and show it to anyone allowed lambda:GetFunction: store it in AWS Secrets Manager ' +
  '(aws secretsmanager create-secret --name shopflow/temporal-api-key --secret-string "$TEMPORAL_API_KEY") and pass ' +
  '--env TEMPORAL_API_KEY_SECRET=shopflow/temporal-api-key instead (docs/deploy-to-aws.md, "The API key")';

async function main(): Promise<void> {
  const values = parseCommandLine({
    function: { type: 'string' },
    zip: { type: 'string' },
    publish: { type: 'boolean' }, // the default now; still accepted so older commands keep working
    'no-publish': { type: 'boolean' },
    create: { type: 'boolean' },
    role: { type: 'string' },
    arch: { type: 'string' },
    timeout: { type: 'string' },
    memory: { type: 'string' },
    ledger: { type: 'string' },
    env: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  if (!values.function) usage('--function is required');
  loadDotEnv();
  let create: CreateSettings | undefined;
  if (values.create) {
    if (!values.role) usage('--create needs --role (the function execution role ARN)');
    const architecture = values.arch ?? 'x86_64';
    if (!isLambdaArchitecture(architecture)) usage(`--arch must be x86_64 or arm64 (got "${architecture}")`);
    const timeoutSeconds = Number(values.timeout ?? LAMBDA_RECOMMENDED_TIMEOUT_S);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900)
      usage('--timeout must be 1-900 seconds');
    const memoryMb = Number(values.memory ?? LAMBDA_DEFAULT_MEMORY_MB);
    if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10_240) usage('--memory must be 128-10240 MB');
    const ledger = values.ledger ?? DEFAULT_FUNCTION_LEDGER;
    try {
      // Lambda always sets AWS_REGION; only the value's form is checked here.
      if (loadLedgerConfig({ SHOPFLOW_LEDGER: ledger, AWS_REGION: 'lambda' }, '').kind === 'file') {
        usage('--ledger file would give every Lambda environment a journal of its own in /tmp: use dynamodb:<table>');
      }
    } catch (err) {
      if (err instanceof ConfigError) usage(`--ledger: ${err.message}`);
      throw err;
    }
    const environment: Record<string, string> = { SHOPFLOW_LEDGER: ledger };
    for (const pair of values.env ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) usage(`--env takes KEY=VALUE (got "${pair.split('=')[0]}")`);
      if (pair.slice(0, eq) === 'TEMPORAL_API_KEY') usage(API_KEY_IN_ENVIRONMENT);
      environment[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    create = { roleArn: values.role, architecture, timeoutSeconds, memoryMb, environment };
  } else if (values.role || values.arch || values.timeout || values.memory || values.ledger || values.env) {
    usage('--role, --arch, --timeout, --memory, --ledger and --env only apply with --create');
  }
  const endpoint = process.env.AWS_ENDPOINT_URL ? ` at ${process.env.AWS_ENDPOINT_URL}` : '';
  const client = lambdaClient();
  const result = await deployLambda({
    client,
    functionName: values.function,
    zipFile: path.resolve(values.zip ?? path.join(PROJECT_ROOT, 'dist', 'function.zip')),
    publish: !values['no-publish'],
    create,
    log: console.log,
  });
  client.destroy();
  console.log(`Deployed${endpoint}: ${result.FunctionArn}`);
  console.log(
    `  version ${result.Version}, code sha256 ${result.CodeSha256}, ${result.CodeSize} bytes, timeout ${result.Timeout} s, ${result.MemorySize} MB`,
  );
  if (result.Version === '$LATEST') {
    console.log('Only $LATEST changed (--no-publish): publish a version before registering it with Temporal.');
  } else {
    console.log(`Register it with Temporal: npm run register:lambda -- --function-arn ${result.FunctionArn}`);
  }
}

runEntryPoint('deploy:lambda', USAGE, main);
