/**
 * The roles of the local account: for every function the local service holds, the roles of `infra/iam-roles.json`
 * resolved as if that template were deployed as a stack named after the function (FunctionName = the function, the
 * account's external id, the local worker controller as the principal Temporal assumes from). The template is the
 * only source; the local stack never writes a role by hand.
 */

import fs from 'node:fs';
import path from 'node:path';
import { resolveTemplateRoles, type TemplateRole } from './iam/template-roles';
import { LOCAL_USERS, localAccountKeys } from './local-account';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

export const IAM_TEMPLATE_FILE = path.resolve(__dirname, '..', '..', 'infra', 'iam-roles.json');

/** The template's logical id of the role Temporal assumes to invoke the function. */
const INVOCATION_ROLE = 'TemporalInvocationRole';

export function readIamTemplate(file = IAM_TEMPLATE_FILE): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The roles the template gives one function, resolved with the local account's parameters. */
export function localRolesOf(functionName: string, template: unknown, externalId: string): TemplateRole[] {
  return resolveTemplateRoles(template, {
    stackName: functionName,
    parameters: {
      FunctionName: functionName,
      ExternalId: externalId,
      TemporalPrincipalArns: [LOCAL_USERS.workerController],
    },
    accountId: LOCAL_LAMBDA_DEFAULTS.accountId,
    region: LOCAL_LAMBDA_DEFAULTS.region,
  });
}

/** The role ARN that resolving the template for `functionName` gives its invocation role (`<stack>-<logical id>`). */
export function localInvocationRoleArn(functionName: string): string {
  return `arn:aws:iam::${LOCAL_LAMBDA_DEFAULTS.accountId}:role/${functionName}-${INVOCATION_ROLE}`;
}

/**
 * What a registration on the local stack carries, as on Temporal Cloud: the function's invocation role and the
 * account's external id.
 */
export function localInvocationRole(functionName: string): { roleArn: string; externalId: string } {
  return { roleArn: localInvocationRoleArn(functionName), externalId: localAccountKeys().externalId };
}
