/** The IAM unit tests' parameters for infra/iam-roles.json: the local account, its worker controller, one function. */

import type { TemplateInput } from '../../machinery/lambda-local/iam/template-roles';

export const TEMPLATE_INPUT: TemplateInput = {
  parameters: {
    FunctionName: 'shopflow-worker',
    ExternalId: 'local-external-id-1',
    TemporalPrincipalArns: ['arn:aws:iam::000000000000:user/temporal-worker-controller'],
  },
  stackName: 'shopflow-worker',
  accountId: '000000000000',
  region: 'us-east-1',
};
