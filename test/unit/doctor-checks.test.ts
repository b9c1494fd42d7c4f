/** The doctor's rules that the local stack cannot plant: Temporal Cloud's principals, a complete registration, one without a role. */

import { checkRegistration, checkTrust, type DoctorFacts } from '../../machinery/deployment/doctor-checks';
import { templatePrincipals } from '../../machinery/deployment/doctor';

const ROLE = 'arn:aws:iam::123456789012:role/temporal-invoke';
const facts = (overrides: Partial<DoctorFacts>): DoctorFacts => ({
  profile: { name: 'cloud', address: 'us-east-1.aws.api.temporal.io:7233', isCloud: true },
  ledger: { kind: 'dynamodb', tableName: 't', region: 'us-east-1' },
  temporalPrincipals: templatePrincipals(),
  ...overrides,
});
const trust = (principals: string[]) => [
  {
    Effect: 'Allow',
    Principal: { AWS: principals },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
  },
];

test('the template lists the five roles Temporal Cloud assumes from', () => {
  expect(templatePrincipals()).toHaveLength(5);
});

test('on Temporal Cloud a role that trusts one of the five fails, naming the four it lacks', () => {
  const [first, ...rest] = templatePrincipals();
  const row = checkTrust(facts({ role: { arn: ROLE, trust: trust([first]) } }));
  expect(row.outcome).toBe('fail');
  for (const missing of rest) expect(row.detail).toContain(missing);
  expect(checkTrust(facts({ role: { arn: ROLE, trust: trust(templatePrincipals()) } })).outcome).toBe('pass');
});

test('a registration of a published version with a role and external id passes; $LATEST fails', () => {
  const target = {
    functionArn: 'arn:aws:lambda:us-east-1:1:function:shopflow-worker:4',
    roleArn: ROLE,
    externalId: 'x',
  };
  expect(checkRegistration(facts({ registration: { version: 'shopflow/v2', target } })).outcome).toBe('pass');
  const latest = { ...target, functionArn: 'arn:aws:lambda:us-east-1:1:function:shopflow-worker' };
  const row = checkRegistration(facts({ registration: { version: 'shopflow/v2', target: latest } }));
  expect(row).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('is not a published version') });
});

test('a registration without a role and external id (a self-hosted server may allow one) fails, with the fix', () => {
  const target = { functionArn: 'arn:aws:lambda:us-east-1:1:function:shopflow-worker:4' };
  const row = checkRegistration(facts({ registration: { version: 'shopflow/v2', target } }));
  expect(row).toMatchObject({
    outcome: 'fail',
    detail: expect.stringContaining('it has no invocation role and external id'),
    fix: expect.stringContaining('--role-arn <role> --external-id <id>'),
  });
});
