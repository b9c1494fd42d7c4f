/**
 * `npm run doctor -- --profile cloud --function NAME [--zip FILE] [--role-arn ARN]`: checks, before a live demo,
 * everything the cloud path depends on, and starts no work: no invocation, no query, no order.
 */

import path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { NativeConnection } from '@temporalio/worker';
import { loadDotEnv } from '../config/load-dotenv';
import { UsageError, parseCommandLine, runEntryPoint } from '../client/command-line';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';
import { formatDoctorRows, runDoctor } from '../machinery/deployment/doctor';
import { lambdaClient } from '../machinery/deployment/lambda-deployment';

const USAGE = `Usage: npm run doctor -- --function NAME [--profile NAME] [--zip FILE] [--role-arn ARN]

Checks what a live demo on Temporal Cloud and AWS depends on, and prints a pass/fail table with the fix for each
failure: the Temporal profile (placeholders, credentials), this terminal's ledger (SHOPFLOW_LEDGER; the function's
must be the same), the package's architecture against the function's and the profile it would connect with, the
function's timeout against the longest activity, the registered version's compute config (a published version of
this function, with a role and external id), and the invocation role's trust policy (IAM GetRole: the external id
required, Temporal Cloud's principals trusted). It starts no work: no invocation, no query, no order.
  --profile NAME   the temporal.toml profile (default: $TEMPORAL_PROFILE, else cloud)
  --zip FILE       the package (default dist/function.zip)
  --role-arn ARN   the invocation role to check (default: the one the registered version names)
Exits 1 when a check fails.`;

async function main(): Promise<void> {
  const values = parseCommandLine({
    function: { type: 'string' },
    profile: { type: 'string' },
    zip: { type: 'string' },
    'role-arn': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  if (!values.function) throw new UsageError('--function is required');
  loadDotEnv();
  const lambda = lambdaClient();
  const iam = new IAMClient({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION });
  try {
    const rows = await runDoctor({
      profile: values.profile ?? (process.env.TEMPORAL_PROFILE || 'cloud'),
      functionName: values.function,
      zipFile: path.resolve(values.zip ?? path.join(PROJECT_ROOT, 'dist', 'function.zip')),
      roleArn: values['role-arn'],
      env: process.env,
      lambda,
      iam,
      connect: (config) => NativeConnection.connect(config.connectionOptions),
    });
    for (const line of formatDoctorRows(rows)) console.log(line);
    const failures = rows.filter((r) => r.outcome === 'fail').length;
    console.log(
      failures === 0 ? '\nReady: every check passed.' : `\n${failures} check(s) failed: fix them before the demo.`,
    );
    if (failures > 0) process.exitCode = 1;
  } finally {
    lambda.destroy();
    iam.destroy();
  }
}

runEntryPoint('doctor', USAGE, main);
