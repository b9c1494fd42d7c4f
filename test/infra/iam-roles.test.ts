/**
 * The IAM template grants Temporal and the function exactly what they need and nothing more: a widened policy fails
 * here first. The ledger table it creates has the layout the DynamoDB ledger uses.
 */

import fs from 'node:fs';
import path from 'node:path';
import { LEDGER_WORKER_ACTIONS, ledgerTableDefinition } from '../../activities/ledger/ledger-table';

interface Statement {
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
interface Role {
  Type: string;
  DeletionPolicy?: string;
  Properties: {
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies?: { PolicyDocument: { Statement: Statement[] } }[];
    ManagedPolicyArns?: unknown[];
  };
}

const template = JSON.parse(fs.readFileSync(path.join(__dirname, '../../infra/iam-roles.json'), 'utf8')) as {
  Parameters: Record<
    string,
    {
      NoEcho?: boolean;
      Type?: string;
      Default?: string;
      MinLength?: number;
      MaxLength?: number;
      AllowedPattern?: string;
    }
  >;
  Resources: Record<string, Role> & {
    LedgerTable: { Type: string; DeletionPolicy?: string; Properties: Record<string, unknown> };
  };
  Outputs: Record<string, unknown>;
};
const invocation = template.Resources.TemporalInvocationRole;
const execution = template.Resources.LambdaExecutionRole;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const functionArn = 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}';

test('Temporal may assume the invocation role only as the given principals and only with the external id', () => {
  const trust = invocation.Properties.AssumeRolePolicyDocument.Statement;
  expect(trust).toHaveLength(1);
  expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: { Ref: 'TemporalPrincipalArns' } } });
  expect(actions(trust[0])).toEqual(['sts:AssumeRole']);
  expect(trust[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
  expect(template.Parameters.ExternalId.NoEcho).toBe(true);
});

test("by default it trusts the five roles Temporal Cloud's controller assumes from, not one of them", () => {
  const principals = template.Parameters.TemporalPrincipalArns;
  expect(principals.Type).toBe('CommaDelimitedList');
  expect(principals.Default?.split(',')).toEqual(
    ['902542641901', '160190466495', '819232936619', '829909441867', '354116250941'].map(
      (account) => `arn:aws:iam::${account}:role/wci-lambda-invoke`,
    ),
  );
});

test.each([
  ['abcd', false],
  ['abcde', true],
  ['a'.repeat(45), true],
  ['a'.repeat(46), false],
  ['shop_flow+demo=1,2.3@x-y', true],
  ['has space', false],
  ['semi;colon', false],
])("the external id %j is %s under Temporal's constraint (5-45 of [a-zA-Z0-9_+=,.@-])", (value, accepted) => {
  const { MinLength, MaxLength, AllowedPattern } = template.Parameters.ExternalId;
  // CloudFormation matches AllowedPattern against the whole value.
  const ok = value.length >= MinLength! && value.length <= MaxLength! && new RegExp(`^${AllowedPattern}$`).test(value);
  expect(ok).toBe(accepted);
});

test('the invocation role can only invoke and describe the one function', () => {
  const statements = (invocation.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  expect([...new Set(statements.flatMap(actions))].sort()).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction']);
  const resources = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])) as {
    'Fn::Sub'?: string;
  }[];
  expect(resources.map((r) => r['Fn::Sub']).sort()).toEqual([functionArn, `${functionArn}:*`]);
  expect(invocation.Properties.ManagedPolicyArns).toBeUndefined();
});

test('the execution role belongs to Lambda, writes logs, and reads and writes only items of the ledger table', () => {
  const trust = execution.Properties.AssumeRolePolicyDocument.Statement;
  expect(trust).toEqual([
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
  expect(execution.Properties.ManagedPolicyArns).toEqual([
    { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
  ]);
  const policies = execution.Properties.Policies ?? [];
  // The API key's read grant is added only when a secret is given (below); every other policy is the ledger's.
  const statements = policies.filter((p) => p.PolicyDocument).flatMap((p) => p.PolicyDocument.Statement);
  expect(statements).toHaveLength(1);
  expect(statements[0].Effect).toBe('Allow');
  // No Scan, Query, DeleteItem or table actions: a worker only finds and records items by key.
  expect([...actions(statements[0])].sort()).toEqual([...LEDGER_WORKER_ACTIONS].sort());
  expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': ['LedgerTable', 'Arn'] });
  expect(statements[0].Condition).toBeUndefined();
});

test('with ApiKeySecretArn, the execution role may read that one secret and nothing else of Secrets Manager', () => {
  const conditional = (execution.Properties.Policies ?? []).filter((p) => !p.PolicyDocument) as unknown as {
    'Fn::If': [string, { PolicyDocument: { Statement: Statement[] } }, unknown];
  }[];
  expect(conditional).toHaveLength(1);
  const [condition, policy, otherwise] = conditional[0]['Fn::If'];
  expect(condition).toBe('HasApiKeySecret');
  expect(otherwise).toEqual({ Ref: 'AWS::NoValue' });
  expect(policy.PolicyDocument.Statement).toEqual([
    { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: 'ApiKeySecretArn' } },
  ]);
});

test('the ledger table is on demand, recoverable to a point in time, kept on stack deletion, and laid out as the ledger expects', () => {
  const table = template.Resources.LedgerTable;
  expect(table.Type).toBe('AWS::DynamoDB::Table');
  expect(table.DeletionPolicy).toBe('Retain');
  expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  const { TableName: _name, ...layout } = ledgerTableDefinition('any');
  expect({ ...table.Properties, TableName: undefined, PointInTimeRecoverySpecification: undefined }).toEqual({
    ...layout,
    TableName: undefined,
    PointInTimeRecoverySpecification: undefined,
  });
  expect(table.Properties.TableName).toEqual({ Ref: 'LedgerTableName' });
});

test('the outputs name what deploy:lambda, register:lambda and SHOPFLOW_LEDGER need', () => {
  expect(Object.keys(template.Outputs).sort()).toEqual([
    'ExecutionRoleArn',
    'FunctionArn',
    'InvocationRoleArn',
    'LedgerTableName',
  ]);
});
