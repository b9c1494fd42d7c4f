/** IAM decisions against the real infra/iam-roles.json, and the evaluator's grammar, including what it refuses. */

import {
  accessDeniedMessage,
  evaluate,
  explain,
  UnsupportedPolicyError,
  type AuthorizationRequest,
  type Decision,
  type PolicyDocument,
  type PolicyStatement,
} from '../../machinery/lambda-local/iam/policy-evaluator';
import { resolveTemplateRoles, type TemplateRole } from '../../machinery/lambda-local/iam/template-roles';
import { readIamTemplate } from '../../machinery/lambda-local/local-roles';
import { TEMPLATE_INPUT } from '../support/iam-template-input';

const TEMPLATE = readIamTemplate();
const INPUT = TEMPLATE_INPUT;

const CONTROLLER = 'arn:aws:iam::000000000000:user/temporal-worker-controller';
const SESSION = 'arn:aws:sts::000000000000:assumed-role/shopflow-worker-TemporalInvocationRole/managed-workers-aws';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker';
const LEDGER = 'arn:aws:dynamodb:us-east-1:000000000000:table/shopflow-ledger';

function roles(template: unknown = TEMPLATE): Record<string, TemplateRole> {
  return Object.fromEntries(resolveTemplateRoles(template, INPUT).map((role) => [role.logicalId, role]));
}
const { TemporalInvocationRole: invocationRole, LambdaExecutionRole: executionRole } = roles();
const identity = (role: TemplateRole) => role.policies.map((policy) => policy.document);

function request(
  arn: string,
  action: string,
  resource: string,
  context: AuthorizationRequest['context'] = {},
): AuthorizationRequest {
  return { principal: { type: arn.startsWith('arn:') ? 'AWS' : 'Service', arn }, action, resource, context };
}

/** The real template without the trust policy's external-id Condition: the hole the worker controller probes for. */
function withoutExternalIdCondition(): unknown {
  const copy = structuredClone(TEMPLATE) as {
    Resources: { TemporalInvocationRole: { Properties: { AssumeRolePolicyDocument: { Statement: object[] } } } };
  };
  delete (copy.Resources.TemporalInvocationRole.Properties.AssumeRolePolicyDocument.Statement[0] as PolicyStatement)
    .Condition;
  return copy;
}

describe('the real template', () => {
  const assume = (who: string, context: AuthorizationRequest['context']) =>
    request(who, 'sts:AssumeRole', invocationRole.arn, context);
  it.each<[string, PolicyDocument[], AuthorizationRequest, 'identity' | 'trust', Decision]>([
    [
      'the controller assumes the invocation role with the right external id',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, { 'sts:ExternalId': 'local-external-id-1' }),
      'trust',
      'Allow',
    ],
    [
      'the context key is matched case-insensitively',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, { 'STS:externalid': 'local-external-id-1' }),
      'trust',
      'Allow',
    ],
    [
      'the controller with a wrong external id',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, { 'sts:ExternalId': 'local-external-id-2' }),
      'trust',
      'ImplicitDeny',
    ],
    [
      'the external id compared case-sensitively',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, { 'sts:ExternalId': 'LOCAL-EXTERNAL-ID-1' }),
      'trust',
      'ImplicitDeny',
    ],
    [
      'the controller with no external id (key absent)',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, {}),
      'trust',
      'ImplicitDeny',
    ],
    [
      'the controller with an undefined external id',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, { 'sts:ExternalId': undefined }),
      'trust',
      'ImplicitDeny',
    ],
    [
      'another principal with the right external id',
      [invocationRole.trustPolicy],
      assume('arn:aws:iam::000000000000:user/someone-else', { 'sts:ExternalId': 'local-external-id-1' }),
      'trust',
      'ImplicitDeny',
    ],
    [
      'a session of the role invokes the function',
      identity(invocationRole),
      request(SESSION, 'lambda:InvokeFunction', FUNCTION),
      'identity',
      'Allow',
    ],
    [
      'a session of the role invokes version 7',
      identity(invocationRole),
      request(SESSION, 'lambda:InvokeFunction', `${FUNCTION}:7`),
      'identity',
      'Allow',
    ],
    [
      'the action is matched case-insensitively',
      identity(invocationRole),
      request(SESSION, 'Lambda:invokefunction', FUNCTION),
      'identity',
      'Allow',
    ],
    [
      'a session of the role gets the function',
      identity(invocationRole),
      request(SESSION, 'lambda:GetFunction', FUNCTION),
      'identity',
      'Allow',
    ],
    [
      'a session of the role invokes another function',
      identity(invocationRole),
      request(SESSION, 'lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:000000000000:function:other'),
      'identity',
      'ImplicitDeny',
    ],
    [
      'a function whose name only starts with the name',
      identity(invocationRole),
      request(SESSION, 'lambda:InvokeFunction', `${FUNCTION}-admin`),
      'identity',
      'ImplicitDeny',
    ],
    [
      'a session of the role creates a function',
      identity(invocationRole),
      request(SESSION, 'lambda:CreateFunction', FUNCTION),
      'identity',
      'ImplicitDeny',
    ],
    [
      'Lambda assumes the execution role',
      [executionRole.trustPolicy],
      request('lambda.amazonaws.com', 'sts:AssumeRole', executionRole.arn),
      'trust',
      'Allow',
    ],
    [
      'another service assumes the execution role',
      [executionRole.trustPolicy],
      request('ec2.amazonaws.com', 'sts:AssumeRole', executionRole.arn),
      'trust',
      'ImplicitDeny',
    ],
    [
      'the controller assumes the execution role',
      [executionRole.trustPolicy],
      request(CONTROLLER, 'sts:AssumeRole', executionRole.arn),
      'trust',
      'ImplicitDeny',
    ],
    [
      'the execution role puts an item in the ledger',
      identity(executionRole),
      request(
        'arn:aws:sts::000000000000:assumed-role/shopflow-worker-LambdaExecutionRole/fn',
        'dynamodb:PutItem',
        LEDGER,
      ),
      'identity',
      'Allow',
    ],
    [
      'the execution role puts an item in another table',
      identity(executionRole),
      request(
        'arn:aws:sts::000000000000:assumed-role/shopflow-worker-LambdaExecutionRole/fn',
        'dynamodb:PutItem',
        'arn:aws:dynamodb:us-east-1:000000000000:table/other',
      ),
      'identity',
      'ImplicitDeny',
    ],
    [
      'the execution role deletes the ledger table',
      identity(executionRole),
      request(
        'arn:aws:sts::000000000000:assumed-role/shopflow-worker-LambdaExecutionRole/fn',
        'dynamodb:DeleteTable',
        LEDGER,
      ),
      'identity',
      'ImplicitDeny',
    ],
  ])('%s', (_row, documents, authorization, kind, decision) => {
    expect(evaluate(documents, authorization, kind)).toBe(decision);
  });

  it('without the Condition, assuming with no external id is allowed (what the controller probe detects)', () => {
    const open = roles(withoutExternalIdCondition()).TemporalInvocationRole;
    expect(evaluate([open.trustPolicy], assume(CONTROLLER, {}), 'trust')).toBe('Allow');
    expect(evaluate([invocationRole.trustPolicy], assume(CONTROLLER, {}), 'trust')).toBe('ImplicitDeny');
  });

  it.each<[string, PolicyDocument[], AuthorizationRequest, 'identity' | 'trust', string | undefined]>([
    [
      'no identity-based policy allows',
      identity(invocationRole),
      request(SESSION, 'lambda:CreateFunction', FUNCTION),
      'identity',
      `User: ${SESSION} is not authorized to perform: lambda:CreateFunction on resource: ${FUNCTION} because no identity-based policy allows the lambda:CreateFunction action`,
    ],
    [
      'an explicit deny',
      [
        ...identity(invocationRole),
        { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'lambda:*', Resource: '*' } },
      ],
      request(SESSION, 'lambda:InvokeFunction', FUNCTION),
      'identity',
      `User: ${SESSION} is not authorized to perform: lambda:InvokeFunction on resource: ${FUNCTION} with an explicit deny in an identity-based policy`,
    ],
    [
      'no trust policy allows',
      [invocationRole.trustPolicy],
      assume(CONTROLLER, {}),
      'trust',
      `User: ${CONTROLLER} is not authorized to perform: sts:AssumeRole on resource: ${invocationRole.arn} because no resource-based policy allows the sts:AssumeRole action`,
    ],
    [
      'allowed: no message',
      identity(invocationRole),
      request(SESSION, 'lambda:InvokeFunction', FUNCTION),
      'identity',
      undefined,
    ],
  ])('AccessDenied message: %s', (_row, documents, authorization, kind, message) => {
    expect(accessDeniedMessage(documents, authorization, kind)).toBe(message);
  });

  it('explain gives the reason alone', () => {
    expect(explain(identity(invocationRole), request(SESSION, 'lambda:CreateFunction', FUNCTION), 'identity')).toBe(
      'because no identity-based policy allows the lambda:CreateFunction action',
    );
  });
});

describe('the grammar', () => {
  const ALICE = 'arn:aws:iam::111122223333:user/alice';
  const allow = (statement: Partial<PolicyStatement>): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', ...statement }],
  });
  const asAlice = (action: string, resource: string, context: AuthorizationRequest['context'] = {}) =>
    request(ALICE, action, resource, context);

  it.each<[string, PolicyDocument[], AuthorizationRequest, Decision]>([
    ['nothing at all', [], asAlice('s3:GetObject', 'arn:aws:s3:::b/k'), 'ImplicitDeny'],
    ['? matches one character', [allow({ Action: 's3:Get?bject' })], asAlice('s3:GetObject', '*'), 'Allow'],
    ['? is not zero characters', [allow({ Action: 's3:GetObjec?t' })], asAlice('s3:GetObject', '*'), 'ImplicitDeny'],
    [
      'Resource is case-sensitive',
      [allow({ Resource: 'arn:aws:s3:::B/*' })],
      asAlice('s3:GetObject', 'arn:aws:s3:::b/k'),
      'ImplicitDeny',
    ],
    [
      '* in Resource spans ":"',
      [allow({ Resource: 'arn:aws:lambda:*:function:f' })],
      asAlice('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:1:function:f'),
      'Allow',
    ],
    [
      'NotAction allows the rest',
      [allow({ Action: undefined, NotAction: 'iam:*' })],
      asAlice('s3:GetObject', '*'),
      'Allow',
    ],
    [
      'NotAction excludes its own',
      [allow({ Action: undefined, NotAction: ['iam:*'] })],
      asAlice('IAM:CreateUser', '*'),
      'ImplicitDeny',
    ],
    [
      'NotResource',
      [allow({ Resource: undefined, NotResource: 'arn:aws:s3:::secret/*' })],
      asAlice('s3:GetObject', 'arn:aws:s3:::secret/k'),
      'ImplicitDeny',
    ],
    [
      'Deny wins over Allow',
      [allow({}), { Statement: { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' } }],
      asAlice('s3:GetObject', 'arn:aws:s3:::b/k'),
      'ExplicitDeny',
    ],
    [
      'StringNotEquals, key absent: true',
      [allow({ Condition: { StringNotEquals: { 'aws:x': 'a' } } })],
      asAlice('s3:GetObject', '*'),
      'Allow',
    ],
    [
      'StringNotEquals, one of its values',
      [allow({ Condition: { StringNotEquals: { 'aws:x': ['a', 'b'] } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'b' }),
      'ImplicitDeny',
    ],
    [
      "StringEquals values are OR'ed",
      [allow({ Condition: { StringEquals: { 'aws:x': ['a', 'b'] } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'b' }),
      'Allow',
    ],
    [
      "keys are AND'ed",
      [allow({ Condition: { StringEquals: { 'aws:x': 'a', 'aws:y': 'b' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'a' }),
      'ImplicitDeny',
    ],
    [
      "operators are AND'ed",
      [allow({ Condition: { StringEquals: { 'aws:x': 'a' }, Bool: { 'aws:SecureTransport': true } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'a', 'aws:securetransport': 'false' }),
      'ImplicitDeny',
    ],
    [
      'Bool with a boolean value',
      [allow({ Condition: { Bool: { 'aws:SecureTransport': true } } })],
      asAlice('s3:GetObject', '*', { 'aws:SecureTransport': 'true' }),
      'Allow',
    ],
    [
      'StringEqualsIgnoreCase',
      [allow({ Condition: { StringEqualsIgnoreCase: { 'aws:x': 'ABC' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'abc' }),
      'Allow',
    ],
    [
      'StringLike',
      [allow({ Condition: { StringLike: { 'aws:x': 'ab*' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'abc' }),
      'Allow',
    ],
    [
      'StringNotLike',
      [allow({ Condition: { StringNotLike: { 'aws:x': 'ab*' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'abc' }),
      'ImplicitDeny',
    ],
    [
      'StringEqualsIfExists, key absent: true',
      [allow({ Condition: { StringEqualsIfExists: { 'aws:x': 'a' } } })],
      asAlice('s3:GetObject', '*'),
      'Allow',
    ],
    [
      'StringEqualsIfExists, key present: checked',
      [allow({ Condition: { StringEqualsIfExists: { 'aws:x': 'a' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'b' }),
      'ImplicitDeny',
    ],
    [
      'StringNotEqualsIfExists, key present and equal',
      [allow({ Condition: { StringNotEqualsIfExists: { 'aws:x': 'a' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'a' }),
      'ImplicitDeny',
    ],
    [
      'Null true: key absent',
      [allow({ Condition: { Null: { 'aws:x': 'true' } } })],
      asAlice('s3:GetObject', '*'),
      'Allow',
    ],
    [
      'Null true: key present',
      [allow({ Condition: { Null: { 'aws:x': 'true' } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'a' }),
      'ImplicitDeny',
    ],
    [
      'Null false: key present',
      [allow({ Condition: { Null: { 'aws:x': false } } })],
      asAlice('s3:GetObject', '*', { 'aws:x': 'a' }),
      'Allow',
    ],
    [
      'ArnLike per part',
      [allow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } } })],
      asAlice('s3:GetObject', '*', { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:topic' }),
      'Allow',
    ],
    [
      'ArnEquals, other account',
      [allow({ Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:topic' } } })],
      asAlice('s3:GetObject', '*', { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:444455556666:topic' }),
      'ImplicitDeny',
    ],
    [
      'ArnNotLike, key absent: true',
      [allow({ Condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } } })],
      asAlice('s3:GetObject', '*'),
      'Allow',
    ],
    [
      'ArnNotEquals, not an ARN',
      [allow({ Condition: { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } } })],
      asAlice('s3:GetObject', '*', { 'aws:SourceArn': 'nope' }),
      'Allow',
    ],
  ])('%s', (_row, documents, authorization, decision) => {
    expect(evaluate(documents, authorization, 'identity')).toBe(decision);
  });

  const trust = (principal: PolicyStatement['Principal']): PolicyDocument => ({
    Statement: { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' },
  });
  const ROLE = 'arn:aws:iam::111122223333:role/target';
  it.each<[string, PolicyDocument, AuthorizationRequest, Decision]>([
    ['"*" trusts anyone', trust('*'), request(ALICE, 'sts:AssumeRole', ROLE), 'Allow'],
    ['{AWS: "*"} trusts anyone', trust({ AWS: '*' }), request('ec2.amazonaws.com', 'sts:AssumeRole', ROLE), 'Allow'],
    ['an exact user ARN', trust({ AWS: [ALICE] }), request(ALICE, 'sts:AssumeRole', ROLE), 'Allow'],
    [
      'a role ARN trusts its sessions',
      trust({ AWS: 'arn:aws:iam::111122223333:role/caller' }),
      request('arn:aws:sts::111122223333:assumed-role/caller/s1', 'sts:AssumeRole', ROLE),
      'Allow',
    ],
    [
      'a role ARN with a path trusts its sessions',
      trust({ AWS: 'arn:aws:iam::111122223333:role/team/caller' }),
      request('arn:aws:sts::111122223333:assumed-role/caller/s1', 'sts:AssumeRole', ROLE),
      'Allow',
    ],
    [
      "not another account's role of that name",
      trust({ AWS: 'arn:aws:iam::111122223333:role/caller' }),
      request('arn:aws:sts::444455556666:assumed-role/caller/s1', 'sts:AssumeRole', ROLE),
      'ImplicitDeny',
    ],
    [
      'a Service principal is not an AWS one',
      trust({ Service: 'lambda.amazonaws.com' }),
      request('arn:aws:iam::111122223333:user/lambda.amazonaws.com', 'sts:AssumeRole', ROLE),
      'ImplicitDeny',
    ],
    ['the action must match too', trust({ AWS: ALICE }), request(ALICE, 'sts:TagSession', ROLE), 'ImplicitDeny'],
  ])('trust: %s', (_row, document, authorization, decision) => {
    expect(evaluate([document], authorization, 'trust')).toBe(decision);
  });

  const anyRequest = request(ALICE, 's3:GetObject', '*');
  it.each<[string, PolicyDocument, 'identity' | 'trust', string]>([
    [
      'an unsupported condition operator',
      allow({ Condition: { NumericLessThan: { 's3:max-keys': '10' } } }),
      'identity',
      'Condition operator NumericLessThan in a statement is not supported',
    ],
    [
      'ForAnyValue:',
      allow({ Sid: 'Tags', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } } }),
      'identity',
      'Condition operator ForAnyValue:StringEquals in statement Tags is not supported (multivalued context keys are not modelled)',
    ],
    [
      'ForAllValues:',
      allow({ Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': 'a*' } } }),
      'identity',
      'Condition operator ForAllValues:StringLike in a statement is not supported (multivalued context keys are not modelled)',
    ],
    [
      'NullIfExists',
      allow({ Condition: { NullIfExists: { 'aws:x': 'true' } } }),
      'identity',
      'Condition operator NullIfExists in a statement is not supported',
    ],
    [
      'a policy variable in Resource',
      allow({ Resource: 'arn:aws:s3:::home/${aws:username}/*' }),
      'identity',
      'Policy variables are not supported ("arn:aws:s3:::home/${aws:username}/*" in a statement)',
    ],
    [
      'Version 2008-10-17',
      { Version: '2008-10-17', Statement: [] },
      'identity',
      'Policy Version 2008-10-17 is not supported (only 2012-10-17; 2008-10-17 treats policy variables differently)',
    ],
    [
      'a Principal in an identity policy',
      allow({ Principal: '*' }),
      'identity',
      'An identity-based policy must not have a Principal (a statement)',
    ],
    [
      'an account id principal',
      trust({ AWS: '111122223333' }),
      'trust',
      "Account principal 111122223333 in a statement is not supported: it delegates to the account's IAM policies, which are not modelled",
    ],
    [
      'an account root principal',
      trust({ AWS: ['arn:aws:iam::111122223333:root'] }),
      'trust',
      "Account principal arn:aws:iam::111122223333:root in a statement is not supported: it delegates to the account's IAM policies, which are not modelled",
    ],
    [
      'a Federated principal',
      trust({ Federated: 'cognito-identity.amazonaws.com' } as PolicyStatement['Principal']),
      'trust',
      'Principal type(s) Federated in a statement are not supported',
    ],
    [
      'NotPrincipal',
      { Statement: { Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 'sts:AssumeRole' } },
      'trust',
      'NotPrincipal (a statement) is not supported',
    ],
    [
      'a trust policy without Principal',
      allow({ Resource: undefined }),
      'trust',
      'A trust policy needs a Principal (a statement)',
    ],
    [
      'a misspelt element',
      allow({ Conditions: {} } as Partial<PolicyStatement>),
      'identity',
      'Unknown element(s) in a statement: Conditions',
    ],
    [
      'both Action and NotAction',
      allow({ NotAction: 's3:*' }),
      'identity',
      'a statement needs exactly one of Action and NotAction',
    ],
  ])('refuses %s', (_row, document, kind, message) => {
    const run = () => evaluate([document], anyRequest, kind);
    expect(run).toThrow(UnsupportedPolicyError);
    expect(run).toThrow(message);
  });

  it('refuses an unsupported statement even when another statement decides the request', () => {
    const documents = [
      allow({}),
      allow({ Action: 'iam:*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01' } } }),
    ];
    expect(() => evaluate(documents, anyRequest, 'identity')).toThrow('Condition operator DateGreaterThan');
  });
});
