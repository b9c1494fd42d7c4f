/**
 * The IAM roles of a CloudFormation template, resolved as CloudFormation would resolve them with given parameters,
 * so the local AWS stand-in decides requests from the template itself and never from a second copy. Pure, no I/O.
 * Strict: any parameter type, intrinsic function, pseudo parameter or resource type it does not implement throws
 * TemplateError naming it and where it is, instead of being guessed at.
 */

import type { PolicyDocument } from './policy-evaluator';

export interface TemplateRole {
  logicalId: string;
  roleName: string;
  arn: string;
  trustPolicy: PolicyDocument;
  policies: { name: string; document: PolicyDocument }[];
  managedPolicyArns: string[];
}

export interface TemplateInput {
  parameters: Record<string, string | string[]>;
  stackName: string;
  accountId: string;
  region: string;
  partition?: string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Value = string | string[];

/** What Ref AWS::NoValue resolves to: the enclosing key or list item is removed. */
const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

const ROLE = 'AWS::IAM::Role';
const TABLE = 'AWS::DynamoDB::Table';
/** Resources that change a role's permissions from outside it: we do not model them, so refuse the template. */
const ATTACHING_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy']);
const ROLE_PROPERTIES = new Set([
  'RoleName',
  'Path',
  'AssumeRolePolicyDocument',
  'Policies',
  'ManagedPolicyArns',
  'Description',
  'MaxSessionDuration',
  'Tags',
]);

interface Context {
  parameters: Map<string, Value>;
  resources: JsonObject;
  conditions: JsonObject;
  conditionValues: Map<string, boolean>;
  input: TemplateInput & { partition: string };
  /** Conditions and resources being resolved, to report a cycle instead of overflowing the stack. */
  inProgress: Set<string>;
}

/** Every AWS::IAM::Role in the template, resolved as CloudFormation would resolve it with these parameters. */
export function resolveTemplateRoles(template: unknown, input: TemplateInput): TemplateRole[] {
  const root = asObject(template, 'the template');
  if (root.Transform !== undefined) throw new TemplateError('Transform is not supported (the template must be plain)');
  const resources = asObject(root.Resources, 'Resources');
  const context: Context = {
    parameters: resolveParameters(root.Parameters === undefined ? {} : asObject(root.Parameters, 'Parameters'), input),
    resources,
    conditions: root.Conditions === undefined ? {} : asObject(root.Conditions, 'Conditions'),
    conditionValues: new Map(),
    input: { ...input, partition: input.partition ?? 'aws' },
    inProgress: new Set(),
  };
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = asObject(resource, `Resources.${logicalId}`).Type;
    if (typeof type === 'string' && ATTACHING_TYPES.has(type)) {
      throw new TemplateError(
        `Resources.${logicalId}: ${type} is not supported (it changes roles' permissions from outside)`,
      );
    }
  }
  return Object.keys(resources)
    .filter((logicalId) => resourceType(context, logicalId) === ROLE && resourceExists(context, logicalId))
    .map((logicalId) => resolveRole(context, logicalId));
}

// ---- parameters ----

function resolveParameters(declared: JsonObject, input: TemplateInput): Map<string, Value> {
  const unknown = Object.keys(input.parameters).filter((name) => !Object.prototype.hasOwnProperty.call(declared, name));
  if (unknown.length > 0) {
    throw new TemplateError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  }
  const values = new Map<string, Value>();
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared)) {
    const spec = asObject(declaration, `Parameters.${name}`);
    const given = Object.prototype.hasOwnProperty.call(input.parameters, name) ? input.parameters[name] : spec.Default;
    if (given === undefined) missing.push(name);
    else values.set(name, parameterValue(name, spec, given));
  }
  // CloudFormation names every parameter without a value at once.
  if (missing.length > 0) throw new TemplateError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function parameterValue(name: string, spec: JsonObject, given: Json | string[]): Value {
  const type = spec.Type;
  if (type === 'String') {
    if (typeof given !== 'string') throw new TemplateError(`Parameter '${name}' is a String: give a string`);
    checkConstraints(name, spec, given);
    return given;
  }
  if (type === 'CommaDelimitedList') {
    const list = typeof given === 'string' ? given.split(',') : given;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      throw new TemplateError(`Parameter '${name}' is a CommaDelimitedList: give a string or a list of strings`);
    }
    // Constraints apply to each item of a list parameter.
    (list as string[]).forEach((item) => checkConstraints(name, spec, item));
    return list as string[];
  }
  throw new TemplateError(`Parameter '${name}': Type ${JSON.stringify(type)} is not supported`);
}

/** CloudFormation's constraints; the message names the constraint and never a NoEcho parameter's value. */
function checkConstraints(name: string, spec: JsonObject, value: string): void {
  const shown = isTrue(spec.NoEcho) ? '' : ` (got ${JSON.stringify(value)})`;
  const fail = (constraint: string, rule: string) => {
    const description = typeof spec.ConstraintDescription === 'string' ? `: ${spec.ConstraintDescription}` : '';
    return new TemplateError(`Parameter '${name}' failed its ${constraint} constraint: ${rule}${shown}${description}`);
  };
  if (typeof spec.MinLength === 'number' && value.length < spec.MinLength) {
    throw fail('MinLength', `must contain at least ${spec.MinLength} characters`);
  }
  if (typeof spec.MaxLength === 'number' && value.length > spec.MaxLength) {
    throw fail('MaxLength', `must contain at most ${spec.MaxLength} characters`);
  }
  if (typeof spec.AllowedPattern === 'string' && !anchored(name, spec.AllowedPattern).test(value)) {
    throw fail('AllowedPattern', `must match pattern ${spec.AllowedPattern}`);
  }
  if (Array.isArray(spec.AllowedValues) && !spec.AllowedValues.includes(value)) {
    throw fail('AllowedValues', `must be one of ${spec.AllowedValues.map(String).join(', ')}`);
  }
}

/** CloudFormation matches AllowedPattern against the whole value. */
function anchored(name: string, pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new TemplateError(`Parameter '${name}': AllowedPattern ${pattern} is not a valid pattern`);
  }
}

function isTrue(value: Json | undefined): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

// ---- conditions ----

function conditionValue(context: Context, name: string, path: string): boolean {
  const known = context.conditionValues.get(name);
  if (known !== undefined) return known;
  if (!Object.prototype.hasOwnProperty.call(context.conditions, name)) {
    throw new TemplateError(`${path}: condition ${name} is not defined in Conditions`);
  }
  const key = `Conditions.${name}`;
  if (context.inProgress.has(key)) throw new TemplateError(`${path}: condition ${name} depends on itself`);
  context.inProgress.add(key);
  const value = conditionFunction(context, context.conditions[name], key);
  context.inProgress.delete(key);
  context.conditionValues.set(name, value);
  return value;
}

/** Fn::Equals, Fn::Not, Fn::And, Fn::Or and {Condition: name}: the functions a condition is made of. */
function conditionFunction(context: Context, node: Json, path: string): boolean {
  const [name, argument] = singleKey(node, path);
  const here = `${path}.${name}`;
  if (name === 'Condition' && typeof argument === 'string') return conditionValue(context, argument, here);
  if (name === 'Fn::Equals') {
    const [a, b] = argumentList(argument, 2, 2, here).map((item, i) => resolve(context, item, `${here}[${i}]`));
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if (name === 'Fn::Not') return !conditionFunction(context, argumentList(argument, 1, 1, here)[0], `${here}[0]`);
  if (name === 'Fn::And' || name === 'Fn::Or') {
    const operands = argumentList(argument, 2, 10, here).map((item, i) =>
      conditionFunction(context, item, `${here}[${i}]`),
    );
    return name === 'Fn::And' ? operands.every(Boolean) : operands.some(Boolean);
  }
  throw new TemplateError(
    `${path}: ${name} is not a condition function (supported: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)`,
  );
}

// ---- resources ----

function resourceType(context: Context, logicalId: string): string | undefined {
  const type = asObject(context.resources[logicalId], `Resources.${logicalId}`).Type;
  return typeof type === 'string' ? type : undefined;
}

/** A resource with a false Condition is not created. */
function resourceExists(context: Context, logicalId: string): boolean {
  const condition = asObject(context.resources[logicalId], `Resources.${logicalId}`).Condition;
  if (condition === undefined) return true;
  if (typeof condition !== 'string')
    throw new TemplateError(`Resources.${logicalId}.Condition must be a condition's name`);
  return conditionValue(context, condition, `Resources.${logicalId}.Condition`);
}

/** One property of a resource, resolved (NO_VALUE when absent or removed). */
function resourceProperty(context: Context, logicalId: string, property: string): Resolved {
  const resource = asObject(context.resources[logicalId], `Resources.${logicalId}`);
  const properties =
    resource.Properties === undefined ? {} : asObject(resource.Properties, `Resources.${logicalId}.Properties`);
  if (properties[property] === undefined) return NO_VALUE;
  const key = `Resources.${logicalId}.Properties.${property}`;
  if (context.inProgress.has(key)) throw new TemplateError(`${key} depends on itself`);
  context.inProgress.add(key);
  const value = resolve(context, properties[property], key);
  context.inProgress.delete(key);
  return value;
}

/** RoleName / TableName if set, else `${stackName}-${logicalId}` (deterministic, unlike CloudFormation's suffix). */
function physicalName(context: Context, logicalId: string, property: 'RoleName' | 'TableName'): string {
  const name = resourceProperty(context, logicalId, property);
  if (name === NO_VALUE) return `${context.input.stackName}-${logicalId}`;
  if (typeof name !== 'string')
    throw new TemplateError(`Resources.${logicalId}.Properties.${property} must be a string`);
  return name;
}

function roleArn(context: Context, logicalId: string): string {
  const path = resourceProperty(context, logicalId, 'Path');
  const prefix = path === NO_VALUE ? '/' : path;
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new TemplateError(`Resources.${logicalId}.Properties.Path must be a string that starts and ends with /`);
  }
  const { partition, accountId } = context.input;
  return `arn:${partition}:iam::${accountId}:role${prefix}${physicalName(context, logicalId, 'RoleName')}`;
}

function resolveRole(context: Context, logicalId: string): TemplateRole {
  const base = `Resources.${logicalId}.Properties`;
  const declared = asObject(asObject(context.resources[logicalId], `Resources.${logicalId}`).Properties ?? {}, base);
  const unsupported = Object.keys(declared).filter((key) => !ROLE_PROPERTIES.has(key));
  // PermissionsBoundary and the like change what the role may do: refuse rather than ignore them.
  if (unsupported.length > 0) throw new TemplateError(`${base}: ${unsupported.join(', ')} not supported`);
  // Resolve every property, even those IAM decisions do not read, so nothing unsupported passes unnoticed.
  Object.keys(declared).forEach((property) => resourceProperty(context, logicalId, property));
  const trust = resourceProperty(context, logicalId, 'AssumeRolePolicyDocument');
  if (trust === NO_VALUE) throw new TemplateError(`${base}.AssumeRolePolicyDocument is required`);
  const policies = resourceProperty(context, logicalId, 'Policies');
  const managed = resourceProperty(context, logicalId, 'ManagedPolicyArns');
  return {
    logicalId,
    roleName: physicalName(context, logicalId, 'RoleName'),
    arn: roleArn(context, logicalId),
    trustPolicy: policyDocument(trust, `${base}.AssumeRolePolicyDocument`),
    policies: policies === NO_VALUE ? [] : inlinePolicies(policies, `${base}.Policies`),
    managedPolicyArns: managed === NO_VALUE ? [] : stringList(managed, `${base}.ManagedPolicyArns`),
  };
}

function inlinePolicies(value: Json, path: string): TemplateRole['policies'] {
  if (!Array.isArray(value)) throw new TemplateError(`${path} must be a list`);
  return value.map((item, index) => {
    const policy = asObject(item, `${path}[${index}]`);
    if (typeof policy.PolicyName !== 'string') throw new TemplateError(`${path}[${index}].PolicyName must be a string`);
    return {
      name: policy.PolicyName,
      document: policyDocument(policy.PolicyDocument, `${path}[${index}].PolicyDocument`),
    };
  });
}

function policyDocument(value: Json | undefined, path: string): PolicyDocument {
  const document = asObject(value, path);
  if (document.Statement === undefined) throw new TemplateError(`${path} has no Statement`);
  // The evaluator checks the grammar itself; this is the resolved JSON as IAM would receive it.
  return document as unknown as PolicyDocument;
}

// ---- intrinsic functions ----

/** Resolves every intrinsic in a node; NO_VALUE removes object keys and list items as CloudFormation does. */
function resolve(context: Context, node: Json, path: string): Resolved {
  if (Array.isArray(node)) {
    return node
      .map((item, i) => resolve(context, item, `${path}[${i}]`))
      .filter((item): item is Json => item !== NO_VALUE);
  }
  if (typeof node !== 'object' || node === null) return node;
  const keys = Object.keys(node);
  const intrinsic = keys.find((key) => key === 'Ref' || key.startsWith('Fn::'));
  if (intrinsic !== undefined) {
    if (keys.length !== 1) throw new TemplateError(`${path}: ${intrinsic} must be the only key of its object`);
    return intrinsicFunction(context, intrinsic, node[intrinsic], `${path}.${intrinsic}`);
  }
  const result: JsonObject = {};
  for (const key of keys) {
    const value = resolve(context, node[key], `${path}.${key}`);
    if (value !== NO_VALUE) result[key] = value;
  }
  return result;
}

function intrinsicFunction(context: Context, name: string, argument: Json, path: string): Resolved {
  switch (name) {
    case 'Ref':
      if (typeof argument !== 'string') throw new TemplateError(`${path} takes a name`);
      return ref(context, argument, path);
    case 'Fn::Sub':
      return sub(context, argument, path);
    case 'Fn::GetAtt':
      return getAtt(context, argument, path);
    case 'Fn::If':
      return ifFunction(context, argument, path);
    case 'Fn::Join':
      return join(context, argument, path);
    case 'Fn::Select':
      return select(context, argument, path);
    default:
      throw new TemplateError(`${path}: intrinsic function ${name} is not supported`);
  }
}

function ref(context: Context, name: string, path: string): Resolved {
  const { partition, region, accountId, stackName } = context.input;
  const pseudo: Record<string, Resolved> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::NoValue': NO_VALUE,
  };
  if (Object.prototype.hasOwnProperty.call(pseudo, name)) return pseudo[name];
  if (name.startsWith('AWS::')) throw new TemplateError(`${path}: pseudo parameter ${name} is not supported`);
  const parameter = context.parameters.get(name);
  if (parameter !== undefined) return parameter;
  const type = existingResourceType(context, name, path);
  if (type === ROLE) return physicalName(context, name, 'RoleName');
  if (type === TABLE) return physicalName(context, name, 'TableName');
  throw new TemplateError(`${path}: Ref to ${name} (${type}) is not supported`);
}

/** The type of a resource a Ref or GetAtt names, which must exist and not be switched off by its Condition. */
function existingResourceType(context: Context, logicalId: string, path: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(context.resources, logicalId)) {
    throw new TemplateError(`${path}: ${logicalId} is neither a parameter nor a resource`);
  }
  if (!resourceExists(context, logicalId)) {
    throw new TemplateError(`${path}: ${logicalId} is not created (its Condition is false)`);
  }
  return resourceType(context, logicalId);
}

function getAtt(context: Context, argument: Json, path: string): string {
  const parts = typeof argument === 'string' ? argument.split('.') : argument;
  if (!Array.isArray(parts) || parts.length !== 2 || parts.some((part) => typeof part !== 'string')) {
    throw new TemplateError(`${path} takes [LogicalId, Attribute]`);
  }
  return attribute(context, parts[0] as string, parts[1] as string, path);
}

function attribute(context: Context, logicalId: string, name: string, path: string): string {
  const type = existingResourceType(context, logicalId, path);
  const { partition, region, accountId } = context.input;
  if (type === ROLE && name === 'Arn') return roleArn(context, logicalId);
  if (type === TABLE && name === 'Arn') {
    return `arn:${partition}:dynamodb:${region}:${accountId}:table/${physicalName(context, logicalId, 'TableName')}`;
  }
  // RoleId, StreamArn and the rest are made up by AWS at creation: nothing to resolve them to.
  throw new TemplateError(`${path}: attribute ${logicalId}.${name} (${type}) is not supported`);
}

function sub(context: Context, argument: Json, path: string): string {
  const [text, variables] = typeof argument === 'string' ? [argument, {}] : argumentList(argument, 2, 2, path);
  if (typeof text !== 'string') throw new TemplateError(`${path}: the string to substitute must be a string`);
  const local = asObject(variables, `${path}[1]`);
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal} is the literal ${Literal}
    const value = Object.prototype.hasOwnProperty.call(local, name)
      ? resolve(context, local[name], `${path}[1].${name}`)
      : subVariable(context, name, path);
    if (typeof value !== 'string') throw new TemplateError(`${path}: \${${name}} is not a string`);
    return value;
  });
}

function subVariable(context: Context, name: string, path: string): Resolved {
  if (name === 'AWS::NoValue') throw new TemplateError(`${path}: \${AWS::NoValue} cannot be substituted`);
  const dot = name.indexOf('.');
  if (dot > 0 && !name.startsWith('AWS::')) return attribute(context, name.slice(0, dot), name.slice(dot + 1), path);
  return ref(context, name, path);
}

function ifFunction(context: Context, argument: Json, path: string): Resolved {
  const [condition, whenTrue, whenFalse] = argumentList(argument, 3, 3, path);
  if (typeof condition !== 'string') throw new TemplateError(`${path}[0] must be a condition's name`);
  return conditionValue(context, condition, `${path}[0]`)
    ? resolve(context, whenTrue, `${path}[1]`)
    : resolve(context, whenFalse, `${path}[2]`);
}

function join(context: Context, argument: Json, path: string): string {
  const [delimiter, list] = argumentList(argument, 2, 2, path);
  if (typeof delimiter !== 'string') throw new TemplateError(`${path}[0] must be a string`);
  return stringList(resolve(context, list, `${path}[1]`), `${path}[1]`).join(delimiter);
}

function select(context: Context, argument: Json, path: string): Resolved {
  const [index, list] = argumentList(argument, 2, 2, path);
  const resolvedIndex = resolve(context, index, `${path}[0]`);
  const position = typeof resolvedIndex === 'string' ? Number(resolvedIndex) : resolvedIndex;
  const items = resolve(context, list, `${path}[1]`);
  if (!Array.isArray(items)) throw new TemplateError(`${path}[1] must be a list`);
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position >= items.length) {
    throw new TemplateError(`${path}[0]: index ${String(index)} is out of range for a list of ${items.length}`);
  }
  return items[position];
}

// ---- shapes ----

function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TemplateError(`${path} must be an object`);
  return value as JsonObject;
}

function singleKey(node: Json, path: string): [string, Json] {
  const keys = typeof node === 'object' && node !== null && !Array.isArray(node) ? Object.keys(node) : [];
  if (keys.length !== 1) throw new TemplateError(`${path} must be an object with one function`);
  return [keys[0], (node as JsonObject)[keys[0]]];
}

function argumentList(argument: Json, min: number, max: number, path: string): Json[] {
  if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
    throw new TemplateError(`${path} takes a list of ${min === max ? min : `${min} to ${max}`} arguments`);
  }
  return argument;
}

function stringList(value: Resolved, path: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new TemplateError(`${path} must be a list of strings`);
  }
  return value as string[];
}
