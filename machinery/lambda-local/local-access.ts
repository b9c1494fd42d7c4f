/**
 * Who is calling and what they may do, for every request to the local services, decided as AWS decides it: the
 * signature names a key; the key is a user's or a session's (AssumeRole); the user's or the role's policies allow
 * the action on the resource, or the request is refused with AWS's AccessDenied message.
 */

import crypto from 'node:crypto';
import { evaluate, type PolicyDocument } from './iam/policy-evaluator';
import type { TemplateRole } from './iam/template-roles';
import { LOCAL_USERS, type LocalAccountKeys } from './local-account';
import type { KnownKey } from './signature-check';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

export interface Caller {
  /** The principal AWS names in errors: a user's ARN, or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  arn: string;
  policies: PolicyDocument[];
}

interface Session extends KnownKey, Caller {
  expiresAt: number;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds: number;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleArn: string;
  assumedRoleId: string;
}

/** One decision, for GET /local/calls: who asked for what, and the answer (never a key or a secret). */
export interface CallRecord {
  at: number;
  caller: string;
  action: string;
  resource: string;
  /** 'allowed', or the refusal's AWS error code. */
  outcome: string;
  /** AssumeRole only: whether an external id came with it (its value is never recorded). */
  withExternalId?: boolean;
}

/** How long the credentials Lambda gives an execution environment last (the longest a role session may). */
export const EXECUTION_SESSION_SECONDS = 12 * 60 * 60;

/** The most recent decisions kept: enough to follow a demo's registrations and invocations. */
const KEPT_CALLS = 500;

/** What a refused AssumeRole or request says: AWS's sentence. */
export class AccessDeniedError extends Error {}

const allowAll: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const assumeRolesOnly: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
};

export class LocalAccess {
  private readonly sessions = new Map<string, Session>();
  private readonly recorded: CallRecord[] = [];
  private readonly users: Map<string, KnownKey & Caller>;

  constructor(
    keys: LocalAccountKeys,
    /** The role an ARN names now (the template resolved for the functions that exist), if any. */
    private readonly roleNamed: (roleArn: string) => TemplateRole | undefined,
  ) {
    this.users = new Map([
      [keys.developer.accessKeyId, { ...keys.developer, arn: LOCAL_USERS.developer, policies: [allowAll] }],
      [
        keys.workerController.accessKeyId,
        { ...keys.workerController, arn: LOCAL_USERS.workerController, policies: [assumeRolesOnly] },
      ],
    ]);
  }

  /** A key's secret (and session token), for the signature check; an expired session's key is unknown. */
  keyFor(accessKeyId: string): KnownKey | undefined {
    return this.callerWithKey(accessKeyId);
  }

  callerOf(accessKeyId: string): Caller {
    const caller = this.callerWithKey(accessKeyId);
    if (!caller) throw new AccessDeniedError('The security token included in the request is invalid.');
    return caller;
  }

  /** The latest decisions, oldest first. */
  calls(): CallRecord[] {
    return [...this.recorded];
  }

  record(call: Omit<CallRecord, 'at'>): void {
    this.recorded.push({ at: Date.now(), ...call });
    if (this.recorded.length > KEPT_CALLS) this.recorded.splice(0, this.recorded.length - KEPT_CALLS);
  }

  /** Refuses, in AWS's words, unless the caller's policies allow `action` on `resource`. */
  authorize(caller: Caller, action: string, resource: string): void {
    this.decide(caller, action, resource);
    if (action !== 'sts:AssumeRole') this.record({ caller: caller.arn, action, resource, outcome: 'allowed' });
  }

  private decide(caller: Caller, action: string, resource: string): void {
    const decision = evaluate(
      caller.policies,
      { principal: { type: 'AWS', arn: caller.arn }, action, resource, context: {} },
      'identity',
    );
    if (decision === 'Allow') return;
    const why =
      decision === 'ExplicitDeny'
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${action} action`;
    this.record({ caller: caller.arn, action, resource, outcome: 'AccessDenied' });
    throw new AccessDeniedError(
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
    );
  }

  /** STS AssumeRole: the role's trust policy decides, with the external id as `sts:ExternalId`. */
  assumeRole(caller: Caller, input: AssumeRoleInput): IssuedCredentials {
    this.authorize(caller, 'sts:AssumeRole', input.roleArn);
    const role = this.roleNamed(input.roleArn);
    const trusted =
      role !== undefined &&
      evaluate(
        [role.trustPolicy],
        {
          principal: { type: 'AWS', arn: caller.arn },
          action: 'sts:AssumeRole',
          resource: role.arn,
          context: { 'sts:ExternalId': input.externalId },
        },
        'trust',
      ) === 'Allow';
    const withExternalId = input.externalId !== undefined;
    this.record({
      caller: caller.arn,
      action: 'sts:AssumeRole',
      resource: input.roleArn,
      outcome: trusted ? 'allowed' : 'AccessDenied',
      withExternalId,
    });
    // AWS says the same whether the role is missing or does not trust the caller: nothing to probe for.
    if (!trusted)
      throw new AccessDeniedError(
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`,
      );
    return this.issue(role, input);
  }

  /**
   * The credentials Lambda puts in a function's execution environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
   * AWS_SESSION_TOKEN): a session of the function's execution role, named after the function, with the role's
   * policies when the account holds that role (one of the template's), else none, so it may call nothing here.
   * Lambda assumes the role itself: no caller, no trust check, nothing recorded in the calls.
   */
  executionRoleSession(roleArn: string, functionName: string): IssuedCredentials {
    const role = this.roleNamed(roleArn);
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1) || roleArn;
    return this.issue(role ?? { arn: roleArn, roleName, policies: [] }, {
      roleArn,
      sessionName: functionName,
      durationSeconds: EXECUTION_SESSION_SECONDS,
    });
  }

  private issue(role: Pick<TemplateRole, 'arn' | 'roleName' | 'policies'>, input: AssumeRoleInput): IssuedCredentials {
    const accessKeyId = `ASIALOCAL${crypto.randomBytes(6).toString('hex').toUpperCase()}`;
    const roleId = `AROALOCAL${crypto.createHash('sha256').update(role.arn).digest('hex').slice(0, 12).toUpperCase()}`;
    const session: Session = {
      secretAccessKey: crypto.randomBytes(30).toString('base64url'),
      sessionToken: crypto.randomBytes(48).toString('base64'),
      arn: `arn:aws:sts::${LOCAL_LAMBDA_DEFAULTS.accountId}:assumed-role/${role.roleName}/${input.sessionName}`,
      policies: role.policies.map((p) => p.document),
      expiresAt: Date.now() + input.durationSeconds * 1000,
    };
    this.forgetExpired();
    this.sessions.set(accessKeyId, session);
    return {
      accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken ?? '',
      expiration: new Date(session.expiresAt),
      assumedRoleArn: session.arn,
      assumedRoleId: `${roleId}:${input.sessionName}`,
    };
  }

  private callerWithKey(accessKeyId: string): (KnownKey & Caller) | undefined {
    const user = this.users.get(accessKeyId);
    if (user) return user;
    const session = this.sessions.get(accessKeyId);
    return session && session.expiresAt > Date.now() ? session : undefined;
  }

  /** The controller assumes the role for every invoke: keep the map to the sessions still valid. */
  private forgetExpired(): void {
    const now = Date.now();
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
  }
}
