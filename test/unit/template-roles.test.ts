/** The roles of infra/iam-roles.json resolved as CloudFormation would, and every way the resolver refuses a template. */

import {
  resolveTemplateRoles,
  TemplateError,
  type TemplateInput,
} from '../../machinery/lambda-local/iam/template-roles';
import { readIamTemplate } from '../../machinery/lambda-local/local-roles';
import { TEMPLATE_INPUT } from '../support/iam-template-input';

const TEMPLATE = readIamTemplate();

const INPUT = TEMPLATE_INPUT;

/**
 * A deep copy of the real template with some values changed, so a test can change one thing and keep the rest real:
 * `changes` maps a dotted path (list indexes as numbers) to its new value; undefined deletes the key.
 */
function editedTemplate(changes: Record<string, unknown>): unknown {
  const copy = structuredClone(TEMPLATE) as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, copy);
    if (value === undefined) delete parent[keys[keys.length - 1]];
    else parent[keys[keys.length - 1]] = value;
  }
  return copy;
}

/** A minimal template with one role (lambda.amazonaws.com may assume it) with these extra properties. */
function oneRole(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          ...properties,
        },
      },
    },
    ...extra,
  };
}

/** Where the invocation role's inline policy names its function. */
const INVOKE_RESOURCE = 'Resources.TemporalInvocationRole.Properties.Policies.0.PolicyDocument.Statement.0.Resource';

const bare = { parameters: {}, stackName: 'stack', accountId: '111122223333', region: 'eu-west-1' };

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('the real template', () => {
  const roles = resolveTemplateRoles(TEMPLATE, INPUT);
  const byId = Object.fromEntries(roles.map((role) => [role.logicalId, role]));

  it('has the two roles, named and addressed as the stack would name them', () => {
    expect(roles.map(({ logicalId, roleName, arn }) => ({ logicalId, roleName, arn }))).toEqual([
      {
        logicalId: 'TemporalInvocationRole',
        roleName: 'shopflow-worker-TemporalInvocationRole',
        arn: 'arn:aws:iam::000000000000:role/shopflow-worker-TemporalInvocationRole',
      },
      {
        logicalId: 'LambdaExecutionRole',
        roleName: 'shopflow-worker-LambdaExecutionRole',
        arn: 'arn:aws:iam::000000000000:role/shopflow-worker-LambdaExecutionRole',
      },
    ]);
  });

  it("resolves the invocation role's trust and policy with the parameters", () => {
    expect(byId.TemporalInvocationRole.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::000000000000:user/temporal-worker-controller'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'local-external-id-1' } },
        },
      ],
    });
    expect(byId.TemporalInvocationRole.policies).toEqual([
      {
        name: 'invoke-shopflow-worker',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['lambda:InvokeFunction', 'lambda:GetFunction'],
              Resource: [
                'arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker',
                'arn:aws:lambda:us-east-1:000000000000:function:shopflow-worker:*',
              ],
            },
          ],
        },
      },
    ]);
    expect(byId.TemporalInvocationRole.managedPolicyArns).toEqual([]);
  });

  it('drops the API-key policy when ApiKeySecretArn is empty (Fn::If to AWS::NoValue)', () => {
    expect(byId.LambdaExecutionRole.policies.map((policy) => policy.name)).toEqual(['shopflow-ledger-items']);
    expect(byId.LambdaExecutionRole.managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    expect(byId.LambdaExecutionRole.policies[0].document).toMatchObject({
      Statement: [{ Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/shopflow-ledger' }],
    });
  });

  it('keeps the API-key policy when ApiKeySecretArn is given', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:temporal-api-key-AbCdEf';
    const withSecret = resolveTemplateRoles(TEMPLATE, {
      ...INPUT,
      parameters: { ...INPUT.parameters, ApiKeySecretArn: secret },
    });
    expect(withSecret[1].policies[1]).toEqual({
      name: 'shopflow-temporal-api-key',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret }],
      },
    });
  });

  it('splits a CommaDelimitedList given as a string, and uses the partition', () => {
    const [role] = resolveTemplateRoles(TEMPLATE, {
      ...INPUT,
      partition: 'aws-cn',
      parameters: { ...INPUT.parameters, TemporalPrincipalArns: 'arn:aws-cn:iam::1:role/a,arn:aws-cn:iam::2:role/b' },
    });
    expect(role.arn).toBe('arn:aws-cn:iam::000000000000:role/shopflow-worker-TemporalInvocationRole');
    expect(role.trustPolicy).toMatchObject({
      Statement: [{ Principal: { AWS: ['arn:aws-cn:iam::1:role/a', 'arn:aws-cn:iam::2:role/b'] } }],
    });
  });

  it('takes the Default of TemporalPrincipalArns: the five Temporal Cloud roles', () => {
    const { TemporalPrincipalArns: _omitted, ...rest } = INPUT.parameters;
    const [role] = resolveTemplateRoles(TEMPLATE, { ...INPUT, parameters: rest });
    expect((role.trustPolicy.Statement as { Principal: { AWS: string[] } }[])[0].Principal.AWS).toHaveLength(5);
  });
});

describe('parameter errors, as CloudFormation reports them', () => {
  const { ExternalId: _externalId, ...withoutExternalId } = INPUT.parameters;
  it.each<[string, TemplateInput['parameters'], string]>([
    ['a missing ExternalId', withoutExternalId, 'Parameters: [ExternalId] must have values'],
    [
      'a 3-character ExternalId',
      { ...INPUT.parameters, ExternalId: 'abc' },
      "Parameter 'ExternalId' failed its MinLength constraint: must contain at least 5 characters",
    ],
    [
      'a 46-character ExternalId',
      { ...INPUT.parameters, ExternalId: 'x'.repeat(46) },
      "Parameter 'ExternalId' failed its MaxLength constraint: must contain at most 45 characters",
    ],
    [
      'an ExternalId with a space',
      { ...INPUT.parameters, ExternalId: 'has a space' },
      "Parameter 'ExternalId' failed its AllowedPattern constraint: must match pattern [a-zA-Z0-9_+=,.@-]*",
    ],
    [
      'a table name that matches the pattern only in part (the pattern is anchored)',
      { ...INPUT.parameters, LedgerTableName: 'ok-name but not all' },
      'Parameter \'LedgerTableName\' failed its AllowedPattern constraint: must match pattern [A-Za-z0-9_.-]{3,255} (got "ok-name but not all")',
    ],
    [
      'an unknown parameter',
      { ...INPUT.parameters, Stage: 'prod' },
      'Parameters: [Stage] do not exist in the template',
    ],
    [
      'a list for a String parameter',
      { ...INPUT.parameters, FunctionName: ['a', 'b'] },
      "Parameter 'FunctionName' is a String: give a string",
    ],
  ])('%s', (_row, parameters, message) => {
    const error = thrown(() => resolveTemplateRoles(TEMPLATE, { ...INPUT, parameters }));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe(message);
  });

  it.each(['abc', 'has a space', 'x'.repeat(46)])('never echoes the NoEcho ExternalId (%s)', (externalId) => {
    const error = thrown(() =>
      resolveTemplateRoles(TEMPLATE, { ...INPUT, parameters: { ...INPUT.parameters, ExternalId: externalId } }),
    );
    expect(error.message).not.toContain(externalId);
  });

  it('checks AllowedValues', () => {
    const template = oneRole(
      { RoleName: { Ref: 'Stage' } },
      { Parameters: { Stage: { Type: 'String', AllowedValues: ['dev', 'prod'] } } },
    );
    expect(resolveTemplateRoles(template, { ...bare, parameters: { Stage: 'dev' } })[0].roleName).toBe('dev');
    expect(thrown(() => resolveTemplateRoles(template, { ...bare, parameters: { Stage: 'qa' } })).message).toBe(
      'Parameter \'Stage\' failed its AllowedValues constraint: must be one of dev, prod (got "qa")',
    );
  });
});

describe('intrinsic functions', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ['RoleName and Path', { RoleName: 'named', Path: '/service/' }, {}, 'arn:aws:iam::111122223333:role/service/named'],
    [
      'Fn::Sub with variables and pseudo parameters',
      { RoleName: { 'Fn::Sub': ['${Prefix}-${AWS::Region}-${AWS::StackName}', { Prefix: 'p' }] } },
      {},
      'arn:aws:iam::111122223333:role/p-eu-west-1-stack',
    ],
    [
      'Fn::Join and Fn::Select',
      { RoleName: { 'Fn::Join': ['-', ['a', { 'Fn::Select': ['1', ['x', 'y']] }, { Ref: 'AWS::AccountId' }]] } },
      {},
      'arn:aws:iam::111122223333:role/a-y-111122223333',
    ],
    [
      'Fn::If on Fn::And / Fn::Or / Fn::Not of Fn::Equals',
      { RoleName: { 'Fn::If': ['Both', 'yes', 'no'] } },
      {
        Conditions: {
          IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
          NotUs: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }] },
          Both: { 'Fn::And': [{ Condition: 'IsEu' }, { 'Fn::Or': [{ Condition: 'NotUs' }, { Condition: 'IsEu' }] }] },
        },
      },
      'arn:aws:iam::111122223333:role/yes',
    ],
  ])('%s', (_row, properties, extra, arn) => {
    expect(resolveTemplateRoles(oneRole(properties, extra), bare)[0].arn).toBe(arn);
  });

  it('substitutes ${!Literal} as the literal text', () => {
    const edited = editedTemplate({
      [INVOKE_RESOURCE]: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::bucket/${!aws:username}' },
    });
    expect(resolveTemplateRoles(edited, INPUT)[0].policies[0].document.Statement).toMatchObject([
      { Resource: 'arn:aws:s3:::bucket/${aws:username}' },
    ]);
  });

  it('skips a role whose Condition is false', () => {
    const template = editedTemplate({ 'Resources.LambdaExecutionRole.Condition': 'HasApiKeySecret' });
    expect(resolveTemplateRoles(template, INPUT).map((role) => role.logicalId)).toEqual(['TemporalInvocationRole']);
  });

  it('refs a role by its name and a table without TableName by a generated name', () => {
    const template = editedTemplate({
      'Resources.LedgerTable.Properties.TableName': undefined,
      [INVOKE_RESOURCE]: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${LambdaExecutionRole}' },
    });
    const [invocation, execution] = resolveTemplateRoles(template, INPUT);
    expect(invocation.policies[0].document.Statement).toMatchObject([
      { Resource: 'arn:aws:iam::000000000000:role/shopflow-worker-LambdaExecutionRole' },
    ]);
    expect(execution.policies[0].document.Statement).toMatchObject([
      { Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/shopflow-worker-LedgerTable' },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown intrinsic, with its path',
      { [INVOKE_RESOURCE]: { 'Fn::ImportValue': 'shared-function-arn' } },
      'Resources.TemporalInvocationRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource.Fn::ImportValue: intrinsic function Fn::ImportValue is not supported',
    ],
    [
      'GetAtt Role.RoleId',
      {
        'Resources.LambdaExecutionRole.Properties.Description': {
          'Fn::GetAtt': ['TemporalInvocationRole', 'RoleId'],
        },
      },
      'Resources.LambdaExecutionRole.Properties.Description.Fn::GetAtt: attribute TemporalInvocationRole.RoleId (AWS::IAM::Role) is not supported',
    ],
    [
      'GetAtt Table.StreamArn, in a Sub',
      { 'Resources.LambdaExecutionRole.Properties.Description': { 'Fn::Sub': 'stream ${LedgerTable.StreamArn}' } },
      'Resources.LambdaExecutionRole.Properties.Description.Fn::Sub: attribute LedgerTable.StreamArn (AWS::DynamoDB::Table) is not supported',
    ],
    [
      'an unsupported pseudo parameter',
      { 'Resources.LambdaExecutionRole.Properties.Description': { Ref: 'AWS::URLSuffix' } },
      'Resources.LambdaExecutionRole.Properties.Description.Ref: pseudo parameter AWS::URLSuffix is not supported',
    ],
    [
      'a Ref to nothing',
      { 'Resources.LambdaExecutionRole.Properties.Description': { Ref: 'Nowhere' } },
      'Resources.LambdaExecutionRole.Properties.Description.Ref: Nowhere is neither a parameter nor a resource',
    ],
    [
      'a list parameter in a Sub',
      { 'Resources.LambdaExecutionRole.Properties.Description': { 'Fn::Sub': '${TemporalPrincipalArns}' } },
      'Resources.LambdaExecutionRole.Properties.Description.Fn::Sub: ${TemporalPrincipalArns} is not a string',
    ],
    [
      'a PermissionsBoundary (it changes what the role may do)',
      { 'Resources.LambdaExecutionRole.Properties.PermissionsBoundary': 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      'Resources.LambdaExecutionRole.Properties: PermissionsBoundary not supported',
    ],
    [
      'an AWS::IAM::Policy attached from outside',
      { 'Resources.Extra': { Type: 'AWS::IAM::Policy', Properties: {} } },
      "Resources.Extra: AWS::IAM::Policy is not supported (it changes roles' permissions from outside)",
    ],
    [
      'a Transform',
      { Transform: 'AWS::Serverless-2016-10-31' },
      'Transform is not supported (the template must be plain)',
    ],
    [
      'an undefined condition',
      { 'Resources.LambdaExecutionRole.Condition': 'Missing' },
      'Resources.LambdaExecutionRole.Condition: condition Missing is not defined in Conditions',
    ],
  ])('refuses %s', (_row, changes, message) => {
    const error = thrown(() => resolveTemplateRoles(editedTemplate(changes), INPUT));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe(message);
  });
});
