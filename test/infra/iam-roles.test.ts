/** The IAM template grants Temporal exactly what it needs and nothing more: a widened policy fails here first. */

import fs from 'node:fs';
import path from 'node:path';

interface Statement {
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
interface Role {
  Type: string;
  Properties: {
    AssumeRolePolicyDocument: { Statement: Statement[] };
    Policies?: { PolicyDocument: { Statement: Statement[] } }[];
    ManagedPolicyArns?: unknown[];
  };
}

const template = JSON.parse(fs.readFileSync(path.join(__dirname, '../../infra/iam-roles.json'), 'utf8')) as {
  Parameters: Record<string, { NoEcho?: boolean }>;
  Resources: Record<string, Role>;
  Outputs: Record<string, unknown>;
};
const invocation = template.Resources.TemporalInvocationRole;
const execution = template.Resources.LambdaExecutionRole;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const functionArn = 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}';

test('Temporal may assume the invocation role only as the given principal and only with the external id', () => {
  const trust = invocation.Properties.AssumeRolePolicyDocument.Statement;
  expect(trust).toHaveLength(1);
  expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: { Ref: 'TemporalPrincipalArn' } } });
  expect(actions(trust[0])).toEqual(['sts:AssumeRole']);
  expect(trust[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
  expect(template.Parameters.ExternalId.NoEcho).toBe(true);
});

test('the invocation role can only invoke and describe the one function', () => {
  const statements = (invocation.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
  expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  expect([...new Set(statements.flatMap(actions))].sort()).toEqual(['lambda:GetFunction', 'lambda:InvokeFunction']);
  const resources = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])) as { 'Fn::Sub'?: string }[];
  expect(resources.map((r) => r['Fn::Sub']).sort()).toEqual([functionArn, `${functionArn}:*`]);
  expect(invocation.Properties.ManagedPolicyArns).toBeUndefined();
});

test('the execution role belongs to Lambda and only writes logs', () => {
  const trust = execution.Properties.AssumeRolePolicyDocument.Statement;
  expect(trust).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  expect(execution.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);
  expect(execution.Properties.Policies).toBeUndefined();
});

test('the outputs name what deploy:lambda and register:lambda need', () => {
  expect(Object.keys(template.Outputs).sort()).toEqual(['ExecutionRoleArn', 'FunctionArn', 'InvocationRoleArn']);
});
