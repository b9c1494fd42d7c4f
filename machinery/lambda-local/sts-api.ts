/**
 * The part of AWS STS the Temporal worker controller calls (AssumeRole, through the AWS SDK for Go v2), plus
 * GetCallerIdentity, in STS's Query protocol: a form-encoded POST answered with XML, errors in STS's ErrorResponse.
 */

import { AccessDeniedError, type Caller, type LocalAccess } from './local-access';

export interface StsReply {
  status: number;
  xml: string;
}

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A role's default MaxSessionDuration; AssumeRole's floor. */
const MAX_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** STS's error document (HTTP 400 for the caller's mistakes, 403 for access). */
export function stsError(status: number, code: string, message: string): StsReply {
  return {
    status,
    xml:
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
  };
}

const validation = (message: string) => stsError(400, 'ValidationError', message);

function result(action: string, inner: string): StsReply {
  return {
    status: 200,
    xml:
      `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** One STS call from its form body, made by `caller` (already authenticated by its signature). */
export function handleSts(body: Buffer, caller: Caller, access: LocalAccess): StsReply {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action') ?? '';
  if (form.get('Version') !== '2011-06-15')
    return stsError(
      400,
      'InvalidAction',
      `Could not find operation ${action} for version ${form.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
    );
  if (action === 'GetCallerIdentity')
    return result(
      action,
      `<Arn>${escapeXml(caller.arn)}</Arn><UserId>${escapeXml(caller.arn.split('/').slice(1).join(':'))}</UserId>` +
        `<Account>${caller.arn.split(':')[4]}</Account>`,
    );
  if (action !== 'AssumeRole')
    return stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  return assumeRole(form, caller, access);
}

function assumeRole(form: URLSearchParams, caller: Caller, access: LocalAccess): StsReply {
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  const externalId = form.get('ExternalId') ?? undefined;
  const durationSeconds = Number(form.get('DurationSeconds') ?? MAX_SESSION_SECONDS);
  if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
    return validation(
      `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: it must be an IAM role ARN`,
    );
  if (!SESSION_NAME.test(sessionName))
    return validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    return validation(
      "1 validation error detected: the value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
    );
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_SECONDS)
    return validation(
      `1 validation error detected: Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`,
    );
  if (durationSeconds > MAX_SESSION_SECONDS)
    return validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  try {
    const issued = access.assumeRole(caller, { roleArn, sessionName, externalId, durationSeconds });
    return result(
      'AssumeRole',
      `<Credentials><AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>` +
        `<SessionToken>${issued.sessionToken}</SessionToken><Expiration>${issued.expiration.toISOString()}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>${escapeXml(issued.assumedRoleId)}</AssumedRoleId><Arn>${escapeXml(issued.assumedRoleArn)}</Arn></AssumedRoleUser>`,
    );
  } catch (err) {
    if (err instanceof AccessDeniedError) return stsError(403, 'AccessDenied', err.message);
    throw err;
  }
}
