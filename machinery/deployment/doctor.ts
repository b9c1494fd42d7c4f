/**
 * `npm run doctor`: gathers what a live demo on Temporal Cloud and AWS depends on, without starting any work (no
 * invocation, no query, no order): the Temporal profile, this terminal's ledger, the package, the function, the
 * registered version's compute config and the invocation role's trust policy. The rules are in doctor-checks.ts.
 */

import fs from 'node:fs';
import path from 'node:path';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { ConnectionLike } from '@temporalio/client';
import { isTemporalCloudAddress, loadConnectionConfig } from '../../config/connection';
import { loadShopFlowEnvironment } from '../../config/environment';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import { runChecks, type DoctorFacts, type DoctorRow, type TrustStatement } from './doctor-checks';
import { describeVersion, registeredTarget } from './lambda-registration';
import { packageWorkflow } from './package-workflow';
import { checkPackagedProfile } from './packaged-profile';

export interface DoctorOptions {
  profile: string;
  functionName: string;
  zipFile: string;
  /** Default: the role the registered version names. */
  roleArn?: string;
  env: NodeJS.ProcessEnv;
  lambda: LambdaClient;
  iam: IAMClient;
  /** Connects with the profile's settings; only describe calls are made. */
  connect: (
    options: ReturnType<typeof loadConnectionConfig>,
  ) => Promise<Pick<ConnectionLike, 'workflowService'> & { close(): Promise<void> }>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The principals infra/iam-roles.json trusts by default: Temporal Cloud's controller roles, written down once. */
export function templatePrincipals(): string[] {
  const template = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'infra', 'iam-roles.json'), 'utf8'));
  return String(template.Parameters.TemporalPrincipalArns.Default).split(',');
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorRow[]> {
  const env = { ...options.env, TEMPORAL_PROFILE: options.profile };
  const facts: DoctorFacts = {
    profile: { name: options.profile, isCloud: false },
    ledger: { error: '' },
    temporalPrincipals: templatePrincipals(),
  };
  let connection: ReturnType<typeof loadConnectionConfig> | undefined;
  try {
    connection = loadConnectionConfig(env);
    const address = connection.connectionOptions.address ?? '';
    facts.profile = { name: options.profile, address, isCloud: isTemporalCloudAddress(address) };
  } catch (err) {
    facts.profile.error = message(err);
  }
  try {
    facts.ledger = loadShopFlowEnvironment(env).ledger;
  } catch (err) {
    facts.ledger = { error: message(err) };
  }
  const fn = await readFunction(options.lambda, options.functionName);
  facts.fn = fn;
  facts.zip = await readPackage(options.zipFile, 'error' in fn ? {} : fn.env);
  const { buildId, deploymentName } = facts.zip;
  const version = buildId && deploymentName ? { deploymentName, buildId } : undefined;
  if (connection && version) {
    const label = `${version.deploymentName}/${version.buildId}`;
    try {
      const temporal = await options.connect(connection);
      try {
        const info = await describeVersion(temporal, connection.namespace, version);
        facts.registration = info
          ? { version: label, target: registeredTarget(info) }
          : { error: `${label} is not registered` };
      } finally {
        await temporal.close();
      }
    } catch (err) {
      facts.registration = { error: `could not read ${label}: ${message(err)}` };
    }
  }
  const roleArn =
    options.roleArn ??
    (facts.registration && 'target' in facts.registration ? facts.registration.target?.roleArn : undefined);
  if (roleArn) facts.role = await readTrust(options.iam, roleArn);
  return runChecks(facts);
}

async function readFunction(lambda: LambdaClient, functionName: string): Promise<NonNullable<DoctorFacts['fn']>> {
  try {
    const { Configuration: c } = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    return {
      name: functionName,
      architecture: c?.Architectures?.[0] ?? 'x86_64',
      timeoutSeconds: c?.Timeout ?? 3,
      env: c?.Environment?.Variables ?? {},
    };
  } catch (err) {
    return { error: `function ${functionName}: ${message(err)}` };
  }
}

async function readPackage(
  zipFile: string,
  functionEnv: Record<string, string>,
): Promise<NonNullable<DoctorFacts['zip']>> {
  if (!fs.existsSync(zipFile)) return { file: zipFile, error: `${zipFile} does not exist (npm run build:lambda)` };
  try {
    const { info } = await packageWorkflow(zipFile);
    const profileError = await checkPackagedProfile(zipFile, functionEnv).then(
      () => undefined,
      (err: unknown) => message(err),
    );
    return {
      file: zipFile,
      architecture: info?.architecture,
      buildId: info?.buildId,
      deploymentName: info?.deploymentName,
      profileError,
    };
  } catch (err) {
    return { file: zipFile, error: message(err) };
  }
}

async function readTrust(iam: IAMClient, roleArn: string): Promise<NonNullable<DoctorFacts['role']>> {
  const roleName = roleArn.split('/').pop() ?? roleArn;
  try {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    // IAM returns the document URL-encoded.
    const raw = Role?.AssumeRolePolicyDocument ?? '{}';
    const document = JSON.parse(raw.trim().startsWith('{') ? raw : decodeURIComponent(raw)) as {
      Statement?: TrustStatement | TrustStatement[];
    };
    const statements = document.Statement ?? [];
    return { arn: roleArn, trust: Array.isArray(statements) ? statements : [statements] };
  } catch (err) {
    return { arn: roleArn, error: `role ${roleArn}: ${message(err)}` };
  }
}

/** The table as printed: one line per check, the fix under each failure. */
export function formatDoctorRows(rows: DoctorRow[]): string[] {
  const mark = { pass: '✓', fail: '✗', skipped: '–' } as const;
  const width = Math.max(...rows.map((r) => r.check.length));
  return rows.flatMap((r) => [
    `${mark[r.outcome]} ${r.check.padEnd(width)}  ${r.detail}`,
    ...(r.fix ? [`  ${' '.repeat(width)}  fix: ${r.fix}`] : []),
  ]);
}
