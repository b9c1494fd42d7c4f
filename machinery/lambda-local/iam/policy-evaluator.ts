/**
 * A small, strict IAM policy evaluator for the local AWS stand-in: decides a request from identity policies or a
 * role's trust policy the way IAM does (explicit Deny wins, then any Allow, else implicit deny). Pure, no I/O.
 * It fails closed: any part of the policy grammar it does not implement throws UnsupportedPolicyError rather than
 * being guessed at, so a policy we cannot read never grants anything by accident.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface AuthorizationRequest {
  /** Who asks: an IAM user/role ARN or an assumed-role session ARN (arn:aws:sts::ACCT:assumed-role/NAME/SESSION), or a service principal such as lambda.amazonaws.com */
  principal: { type: 'AWS' | 'Service'; arn: string };
  action: string; // e.g. 'lambda:InvokeFunction', 'sts:AssumeRole'
  resource: string; // an ARN, or '*'
  context: Record<string, string | undefined>; // condition keys, e.g. { 'sts:ExternalId': 'abc' }; keys compared case-insensitively as IAM does
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export type PolicyKind = 'identity' | 'trust';

export class UnsupportedPolicyError extends Error {
  override name = 'UnsupportedPolicyError';
}

const SUPPORTED_VERSION = '2012-10-17';
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/** Condition operators we implement (without the IfExists suffix); `negated` ones are true when nothing matches. */
const OPERATORS: Record<string, { negated: boolean; test: (policyValue: string, requestValue: string) => boolean }> = {
  StringEquals: { negated: false, test: (p, r) => p === r },
  StringNotEquals: { negated: true, test: (p, r) => p === r },
  StringEqualsIgnoreCase: { negated: false, test: (p, r) => p.toLowerCase() === r.toLowerCase() },
  StringNotEqualsIgnoreCase: { negated: true, test: (p, r) => p.toLowerCase() === r.toLowerCase() },
  StringLike: { negated: false, test: (p, r) => globMatch(p, r, false) },
  StringNotLike: { negated: true, test: (p, r) => globMatch(p, r, false) },
  ArnEquals: { negated: false, test: arnMatch },
  ArnLike: { negated: false, test: arnMatch },
  ArnNotEquals: { negated: true, test: arnMatch },
  ArnNotLike: { negated: true, test: arnMatch },
  Bool: { negated: false, test: (p, r) => p.toLowerCase() === r.toLowerCase() },
};

/** Explicit Deny wins, then any Allow, else ImplicitDeny. Every document is checked whole first (fail closed). */
export function evaluate(documents: PolicyDocument[], request: AuthorizationRequest, kind: PolicyKind): Decision {
  const statements = documents.flatMap((document) => checkedStatements(document, kind));
  const applicable = statements.filter((statement) => statementApplies(statement, request, kind));
  if (applicable.some((statement) => statement.Effect === 'Deny')) return 'ExplicitDeny';
  if (applicable.some((statement) => statement.Effect === 'Allow')) return 'Allow';
  return 'ImplicitDeny';
}

/**
 * Why a request is denied, in AWS's own words (the tail of its AccessDenied message), or undefined when allowed.
 * Trust policies are resource-based policies in AWS's wording.
 */
export function explain(
  documents: PolicyDocument[],
  request: AuthorizationRequest,
  kind: PolicyKind,
): string | undefined {
  const decision = evaluate(documents, request, kind);
  const policyKind = kind === 'identity' ? 'an identity-based policy' : 'a resource-based policy';
  if (decision === 'ExplicitDeny') return `with an explicit deny in ${policyKind}`;
  if (decision === 'ImplicitDeny') {
    return `because no ${kind === 'identity' ? 'identity' : 'resource'}-based policy allows the ${request.action} action`;
  }
  return undefined;
}

/** AWS's full AccessDenied message for a denied request ("User: ARN is not authorized to perform: ..."), or undefined when allowed. */
export function accessDeniedMessage(
  documents: PolicyDocument[],
  request: AuthorizationRequest,
  kind: PolicyKind,
): string | undefined {
  const reason = explain(documents, request, kind);
  if (reason === undefined) return undefined;
  return `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${reason}`;
}

// ---- checking: reject what we do not implement before deciding anything ----

function checkedStatements(document: PolicyDocument, kind: PolicyKind): PolicyStatement[] {
  if (typeof document !== 'object' || document === null) throw new UnsupportedPolicyError('A policy must be an object');
  // 2008-10-17 treats ${...} as literal text, 2012-10-17 as policy variables: we implement only the current one.
  if (document.Version !== undefined && document.Version !== SUPPORTED_VERSION) {
    throw new UnsupportedPolicyError(
      `Policy Version ${String(document.Version)} is not supported (only ${SUPPORTED_VERSION}; 2008-10-17 treats policy variables differently)`,
    );
  }
  const unknownKeys = Object.keys(document).filter((key) => key !== 'Version' && key !== 'Statement' && key !== 'Id');
  if (unknownKeys.length > 0) throw new UnsupportedPolicyError(`Unknown policy element(s): ${unknownKeys.join(', ')}`);
  if (document.Statement === undefined) throw new UnsupportedPolicyError('A policy needs a Statement');
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  statements.forEach((statement) => checkStatement(statement, kind));
  return statements;
}

function checkStatement(statement: PolicyStatement, kind: PolicyKind): void {
  const where = statement.Sid ? `statement ${statement.Sid}` : 'a statement';
  const unknownKeys = Object.keys(statement).filter((key) => !STATEMENT_KEYS.has(key));
  if (unknownKeys.length > 0)
    throw new UnsupportedPolicyError(`Unknown element(s) in ${where}: ${unknownKeys.join(', ')}`);
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw new UnsupportedPolicyError(`Effect must be Allow or Deny in ${where}, not ${String(statement.Effect)}`);
  }
  exactlyOne(statement, 'Action', 'NotAction', where);
  if (statement.NotPrincipal !== undefined)
    throw new UnsupportedPolicyError(`NotPrincipal (${where}) is not supported`);
  if (kind === 'identity') {
    if (statement.Principal !== undefined) {
      throw new UnsupportedPolicyError(`An identity-based policy must not have a Principal (${where})`);
    }
    exactlyOne(statement, 'Resource', 'NotResource', where);
  } else {
    if (statement.Principal === undefined)
      throw new UnsupportedPolicyError(`A trust policy needs a Principal (${where})`);
    // A role's trust policy is attached to the role itself: IAM refuses Resource in it.
    if (statement.Resource !== undefined || statement.NotResource !== undefined) {
      throw new UnsupportedPolicyError(`A trust policy must not have Resource or NotResource (${where})`);
    }
    checkPrincipal(statement.Principal, where);
  }
  values(statement.Action ?? statement.NotAction, 'Action', where).forEach((action) => checkAction(action, where));
  values(statement.Resource ?? statement.NotResource, 'Resource', where).forEach((resource) =>
    checkNoPolicyVariable(resource, where),
  );
  if (statement.Condition !== undefined) checkCondition(statement.Condition, where);
}

function exactlyOne(statement: PolicyStatement, a: keyof PolicyStatement, b: keyof PolicyStatement, where: string) {
  const count = [a, b].filter((key) => statement[key] !== undefined).length;
  if (count !== 1) throw new UnsupportedPolicyError(`${where} needs exactly one of ${a} and ${b}`);
}

/** A string or a non-empty list of strings, as IAM accepts for Action, Resource and principal lists. */
function values(value: unknown, element: string, where: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string')) {
    throw new UnsupportedPolicyError(`${element} in ${where} must be a string or a non-empty list of strings`);
  }
  return list as string[];
}

function checkAction(action: string, where: string): void {
  if (action !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(action)) {
    throw new UnsupportedPolicyError(`Malformed action ${JSON.stringify(action)} in ${where}`);
  }
}

/** Policy variables (${aws:username} and the like) need request facts we do not model: refuse them. */
function checkNoPolicyVariable(value: string, where: string): void {
  if (value.includes('${')) {
    throw new UnsupportedPolicyError(`Policy variables are not supported (${JSON.stringify(value)} in ${where})`);
  }
}

function checkPrincipal(principal: PolicyStatement['Principal'], where: string): void {
  if (principal === '*') return;
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    throw new UnsupportedPolicyError(`Principal in ${where} must be "*" or an object`);
  }
  const unknownKeys = Object.keys(principal).filter((key) => key !== 'AWS' && key !== 'Service');
  if (unknownKeys.length > 0) {
    throw new UnsupportedPolicyError(`Principal type(s) ${unknownKeys.join(', ')} in ${where} are not supported`);
  }
  for (const arn of values(principal.AWS, 'Principal.AWS', where)) checkAwsPrincipal(arn, where);
  for (const service of values(principal.Service, 'Principal.Service', where)) {
    if (service.includes('*'))
      throw new UnsupportedPolicyError(`Wildcards in a Service principal (${where}) are not supported`);
  }
}

function checkAwsPrincipal(arn: string, where: string): void {
  if (arn === '*') return;
  // An account principal delegates to that account's own IAM policies, which we do not model.
  if (/^\d{12}$/.test(arn) || /^arn:[^:]+:iam::\d{12}:root$/.test(arn)) {
    throw new UnsupportedPolicyError(
      `Account principal ${arn} in ${where} is not supported: it delegates to the account's IAM policies, which are not modelled`,
    );
  }
  if (arn.includes('*') || arn.includes('?')) {
    throw new UnsupportedPolicyError(`Wildcards in an AWS principal ARN (${arn} in ${where}) are not supported`);
  }
  if (!/^arn:[^:]+:(iam|sts)::\d{12}:.+$/.test(arn)) {
    throw new UnsupportedPolicyError(`AWS principal ${arn} in ${where} is not an IAM or STS ARN`);
  }
}

function checkCondition(condition: PolicyStatement['Condition'], where: string): void {
  if (typeof condition !== 'object' || condition === null)
    throw new UnsupportedPolicyError(`Condition in ${where} must be an object`);
  for (const [operator, keys] of Object.entries(condition)) {
    parseOperator(operator, where);
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
      throw new UnsupportedPolicyError(`Condition operator ${operator} in ${where} must map keys to values`);
    }
    for (const value of Object.values(keys))
      conditionValues(value, operator, where).forEach((v) => checkNoPolicyVariable(v, where));
  }
}

/** The operator's base and whether it ends in IfExists; throws naming any operator we do not implement. */
function parseOperator(operator: string, where: string): { base: string; ifExists: boolean } {
  if (operator.startsWith('ForAnyValue:') || operator.startsWith('ForAllValues:')) {
    throw new UnsupportedPolicyError(
      `Condition operator ${operator} in ${where} is not supported (multivalued context keys are not modelled)`,
    );
  }
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (base === 'Null' && !ifExists) return { base, ifExists };
  if (!Object.prototype.hasOwnProperty.call(OPERATORS, base)) {
    throw new UnsupportedPolicyError(`Condition operator ${operator} in ${where} is not supported`);
  }
  return { base, ifExists };
}

function conditionValues(value: unknown, operator: string, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string' && typeof item !== 'boolean')) {
    throw new UnsupportedPolicyError(`Values of ${operator} in ${where} must be strings or booleans`);
  }
  return list.map(String);
}

// ---- deciding: the statements are known to be well formed here ----

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest, kind: PolicyKind): boolean {
  if (!matchesAny(statement.Action, statement.NotAction, (pattern) => globMatch(pattern, request.action, true))) {
    return false;
  }
  if (kind === 'identity') {
    const resourceMatches = (pattern: string) => globMatch(pattern, request.resource, false);
    if (!matchesAny(statement.Resource, statement.NotResource, resourceMatches)) return false;
  } else if (!principalMatches(statement.Principal, request.principal)) {
    return false;
  }
  return conditionHolds(statement.Condition ?? {}, request.context);
}

/** The positive element matches when any pattern does; the Not- element when none does. */
function matchesAny(positive: unknown, negative: unknown, matches: (pattern: string) => boolean): boolean {
  if (positive !== undefined) return toList(positive).some(matches);
  return !toList(negative).some(matches);
}

function toList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(String);
}

function principalMatches(principal: PolicyStatement['Principal'], who: AuthorizationRequest['principal']): boolean {
  if (principal === '*') return true;
  if (principal === undefined) return false;
  const aws = toList(principal.AWS ?? []);
  if (aws.includes('*')) return true; // {"AWS": "*"} is documented as the same as "*"
  if (who.type === 'Service') return toList(principal.Service ?? []).includes(who.arn);
  const role = sessionRoleArn(who.arn);
  return aws.some((arn) => arn === who.arn || (role !== undefined && sameRoleIgnoringPath(arn, role)));
}

/** An assumed-role session acts as its role: arn:aws:sts::A:assumed-role/NAME/S -> arn:aws:iam::A:role/NAME. */
function sessionRoleArn(arn: string): string | undefined {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : undefined;
}

/** A session ARN drops the role's path; role names are unique per account, so the path may be ignored. */
function sameRoleIgnoringPath(policyArn: string, roleArn: string): boolean {
  const withPath = /^(arn:[^:]+:iam::\d{12}:role\/)(?:.*\/)?([^/]+)$/.exec(policyArn);
  return withPath !== null && `${withPath[1]}${withPath[2]}` === roleArn;
}

/** Operators and keys are AND'ed; the values of one key are OR'ed (a negated operator: none may match). */
function conditionHolds(
  condition: NonNullable<PolicyStatement['Condition']>,
  context: AuthorizationRequest['context'],
) {
  const lowered = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) => keyHolds(operator, lowered.get(key.toLowerCase()), toList(value))),
  );
}

function keyHolds(operator: string, requestValue: string | undefined, policyValues: string[]): boolean {
  const { base, ifExists } = parseOperator(operator, 'a condition');
  if (base === 'Null') {
    // Null: "true" asks that the key be absent, "false" that it be present.
    return policyValues.some((value) => (value.toLowerCase() === 'true') === (requestValue === undefined));
  }
  const { negated, test } = OPERATORS[base];
  // A missing key: IfExists makes the condition true; otherwise a positive test fails and a negated one holds.
  if (requestValue === undefined) return ifExists || negated;
  const anyMatch = policyValues.some((value) => test(value, requestValue));
  return negated ? !anyMatch : anyMatch;
}

/** Whole-string match with * (any run, even across ':') and ? (one character), as IAM matches actions and resources. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** ArnEquals/ArnLike: each of the six ':'-separated parts matched separately, with wildcards, case-sensitively. */
function arnMatch(pattern: string, value: string): boolean {
  const patternParts = arnParts(pattern);
  const valueParts = arnParts(value);
  if (patternParts === undefined || valueParts === undefined) return false;
  return patternParts.every((part, index) => globMatch(part, valueParts[index], false));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
