/**
 * `npm run doctor`'s rules: each one looks at facts gathered beforehand (doctor.ts) and says pass or fail, with the
 * fix. Pure, so every rule is tested with planted facts as well as against the local stack.
 */

import type { LedgerConfig } from '../../config/ledger-config';
import { isVersionQualified, type LambdaTarget } from './lambda-registration';
import { timeoutWarning } from './lambda-deployment';

export interface DoctorRow {
  check: string;
  outcome: 'pass' | 'fail' | 'skipped';
  detail: string;
  fix?: string;
}

/** A trust policy statement as IAM returns it (GetRole's AssumeRolePolicyDocument, decoded). */
export interface TrustStatement {
  Effect: string;
  Principal?: { AWS?: string | string[] } | string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface DoctorFacts {
  profile: { name: string; error?: string; address?: string; isCloud: boolean };
  /** This terminal's ledger (SHOPFLOW_LEDGER), or why it could not be read. */
  ledger: LedgerConfig | { error: string };
  zip?: {
    file: string;
    architecture?: string;
    buildId?: string;
    deploymentName?: string;
    error?: string;
    profileError?: string;
  };
  fn?: { name: string; architecture: string; timeoutSeconds: number; env: Record<string, string> } | { error: string };
  registration?: { target?: LambdaTarget; version: string } | { error: string };
  role?: { arn: string; trust: TrustStatement[] } | { arn?: string; error: string };
  /** The principals Temporal's controller assumes from (infra/iam-roles.json's default). */
  temporalPrincipals: string[];
}

const pass = (check: string, detail: string): DoctorRow => ({ check, outcome: 'pass', detail });
const fail = (check: string, detail: string, fix: string): DoctorRow => ({ check, outcome: 'fail', detail, fix });
const skipped = (check: string, detail: string): DoctorRow => ({ check, outcome: 'skipped', detail });
const failed = <T extends object>(fact: T | { error: string } | undefined): fact is { error: string } =>
  fact !== undefined && 'error' in fact;

export function checkProfile(facts: DoctorFacts): DoctorRow {
  const check = `profile ${facts.profile.name}`;
  if (facts.profile.error) return fail(check, facts.profile.error, 'edit temporal.toml or the TEMPORAL_* variables');
  return pass(check, `${facts.profile.address}${facts.profile.isCloud ? ' (Temporal Cloud)' : ''}`);
}

export function checkArchitecture({ zip, fn }: DoctorFacts): DoctorRow {
  const check = 'package architecture';
  if (!zip || zip.error) return skipped(check, zip?.error ?? 'no package');
  if (!fn || failed(fn)) return skipped(check, 'the function could not be read');
  if (zip.architecture === fn.architecture) return pass(check, `${zip.architecture}, as the function`);
  return fail(
    check,
    `${zip.file} is built for ${zip.architecture}, function ${fn.name} runs on ${fn.architecture}: every invocation would fail at init`,
    `npm run build:lambda -- --arch ${fn.architecture}`,
  );
}

export function checkPackagedProfile({ zip }: DoctorFacts): DoctorRow {
  const check = "the package's profile";
  if (!zip || zip.error) return skipped(check, zip?.error ?? 'no package');
  if (zip.profileError) return fail(check, zip.profileError, 'edit temporal.toml and rebuild');
  return pass(check, 'no placeholders in the profile the function connects with');
}

export function checkTimeout({ fn }: DoctorFacts): DoctorRow {
  const check = 'function timeout';
  if (!fn || failed(fn)) return skipped(check, fn?.error ?? 'no function');
  const warning = timeoutWarning(fn.timeoutSeconds);
  if (!warning) return pass(check, `${fn.timeoutSeconds} s`);
  return fail(check, warning, `aws lambda update-function-configuration --function-name ${fn.name} --timeout 70`);
}

export function checkLedger({ ledger, profile, fn }: DoctorFacts): DoctorRow {
  const check = 'ledger';
  if (failed(ledger)) return fail(check, ledger.error, 'fix SHOPFLOW_LEDGER in .env');
  const mine = ledger.kind === 'dynamodb' ? `dynamodb:${ledger.tableName}` : 'file';
  if (profile.isCloud && ledger.kind === 'file') {
    return fail(
      check,
      `this terminal records in the file journal ${ledger.path}, which the Lambda cannot see`,
      'set SHOPFLOW_LEDGER=dynamodb:<table> and AWS_REGION in .env, for every terminal',
    );
  }
  if (fn && !failed(fn) && (fn.env.SHOPFLOW_LEDGER ?? 'file') !== mine) {
    return fail(
      check,
      `this terminal records in ${mine}, function ${fn.name} in ${fn.env.SHOPFLOW_LEDGER ?? 'its own /tmp journal'}`,
      `give both the same SHOPFLOW_LEDGER (npm run deploy:lambda -- --create ... --ledger ${mine})`,
    );
  }
  return pass(check, `${mine}${fn && !failed(fn) ? ', the same as the function' : ''}`);
}

export function checkApiKey({ fn }: DoctorFacts): DoctorRow {
  const check = "the function's API key";
  if (!fn || failed(fn)) return skipped(check, fn?.error ?? 'no function');
  if (fn.env.TEMPORAL_API_KEY !== undefined) {
    return fail(
      check,
      `function ${fn.name} has TEMPORAL_API_KEY in its configuration: every published version freezes it`,
      'store it in Secrets Manager and set TEMPORAL_API_KEY_SECRET instead (docs/deploy-to-aws.md, "The API key")',
    );
  }
  const secret = fn.env.TEMPORAL_API_KEY_SECRET;
  return pass(check, secret ? `read from secret ${secret} when an environment starts` : 'none in the configuration');
}

export function checkRegistration({ registration, fn }: DoctorFacts): DoctorRow {
  const check = 'registered version';
  if (!registration) return skipped(check, 'not read');
  if (failed(registration)) return fail(check, registration.error, 'check the profile and the build id');
  const { target, version } = registration;
  const fixRegister = 'npm run register:lambda -- --function-arn <arn>:<N> --role-arn <role> --external-id <id>';
  if (!target) return fail(check, `${version} has no Lambda registered`, fixRegister);
  const problems: string[] = [];
  if (!isVersionQualified(target.functionArn)) problems.push(`${target.functionArn} is not a published version`);
  if (fn && !failed(fn) && !target.functionArn.includes(`:function:${fn.name}`))
    problems.push(`it points at ${target.functionArn}, not function ${fn.name}`);
  if (!target.roleArn || !target.externalId)
    problems.push('it has no invocation role and external id (Temporal Cloud refuses to invoke without them)');
  if (problems.length > 0) return fail(check, `${version}: ${problems.join('; ')}`, fixRegister);
  return pass(check, `${version} -> ${target.functionArn}, role ${target.roleArn}`);
}

export function checkTrust({ role, profile, temporalPrincipals }: DoctorFacts): DoctorRow {
  const check = 'invocation role trust';
  if (!role) return skipped(check, 'no role registered or given (--role-arn)');
  if (failed(role)) return fail(check, role.error, 'check --role-arn and that this AWS identity may iam:GetRole');
  const allows = role.trust.filter((s) => s.Effect === 'Allow' && list(s.Action).includes('sts:AssumeRole'));
  const unconditioned = allows.filter((s) => !list(s.Condition?.StringEquals?.['sts:ExternalId']).length);
  if (unconditioned.length > 0) {
    return fail(
      check,
      `${role.arn} lets ${principals(unconditioned).join(', ') || 'someone'} assume it without an external id: ` +
        'Temporal refuses such a role ("does not require the configured external ID")',
      'add Condition StringEquals sts:ExternalId to the trust policy (infra/iam-roles.json does)',
    );
  }
  const trusted = principals(allows);
  const missing = profile.isCloud ? temporalPrincipals.filter((p) => !trusted.includes(p)) : [];
  if (missing.length > 0) {
    return fail(
      check,
      `${role.arn} does not trust ${missing.join(', ')}: Temporal Cloud's controller assumes from all of them, so ` +
        'invocations would fail now and then',
      'deploy infra/iam-roles.json with the default TemporalPrincipalArns',
    );
  }
  return pass(check, `${trusted.length} principal(s), external id required`);
}

export function runChecks(facts: DoctorFacts): DoctorRow[] {
  return [
    checkProfile(facts),
    checkLedger(facts),
    checkArchitecture(facts),
    checkPackagedProfile(facts),
    checkTimeout(facts),
    checkApiKey(facts),
    checkRegistration(facts),
    checkTrust(facts),
  ];
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function principals(statements: TrustStatement[]): string[] {
  return statements.flatMap((s) => (typeof s.Principal === 'object' ? list(s.Principal.AWS) : []));
}
