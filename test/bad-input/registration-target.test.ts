/** What register:lambda and redeploy refuse to register, each with its exact message (nothing is sent first). */

import fs from 'node:fs';
import path from 'node:path';
import { EXTERNAL_ID_PATTERN, validateTarget, type LambdaTarget } from '../../machinery/deployment/lambda-registration';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:shopflow-worker:3';
const ROLE = 'arn:aws:iam::123456789012:role/temporal-invoke';

test.each<[string, LambdaTarget, string]>([
  [
    'not a function ARN',
    { functionArn: 'shopflow-worker' },
    '"shopflow-worker" is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<version>])',
  ],
  [
    'a role without its external id',
    { functionArn: FN, roleArn: ROLE },
    '--role-arn and --external-id go together: Temporal assumes the role only with the external id its trust policy requires',
  ],
  [
    'not a role ARN',
    { functionArn: FN, roleArn: 'temporal-invoke', externalId: 'shopflow-demo' },
    '"temporal-invoke" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
  ],
  [
    'an external id too short',
    { functionArn: FN, roleArn: ROLE, externalId: 'abcd' },
    "the external id (4 characters) does not meet Temporal's constraint: 5-45 characters of letters, digits and " +
      "_+=,.@- (the same as the template's ExternalId parameter)",
  ],
  [
    'an external id with a space',
    { functionArn: FN, roleArn: ROLE, externalId: 'my secret id' },
    "the external id (12 characters) does not meet Temporal's constraint: 5-45 characters of letters, digits and " +
      "_+=,.@- (the same as the template's ExternalId parameter)",
  ],
])('%s is refused', (_row, target, message) => {
  expect(() => validateTarget(target)).toThrow(message);
  try {
    validateTarget(target);
  } catch (err) {
    if (target.externalId) expect((err as Error).message).not.toContain(target.externalId);
  }
});

test('a role with a valid external id passes', () => {
  expect(() => validateTarget({ functionArn: FN, roleArn: ROLE, externalId: 'shopflow_demo-2026' })).not.toThrow();
});

test("the code's external-id rule is the template's", () => {
  const template = JSON.parse(fs.readFileSync(path.join(__dirname, '../../infra/iam-roles.json'), 'utf8'));
  const { MinLength, MaxLength, AllowedPattern } = template.Parameters.ExternalId;
  const chars = AllowedPattern.replace(/\*$/, '');
  expect(EXTERNAL_ID_PATTERN.source).toBe(`^${chars}{${MinLength},${MaxLength}}$`);
});
