/**
 * What Lambda accepts as a function's environment variables (CreateFunction, UpdateFunctionConfiguration):
 * - none of the keys Lambda sets itself in every execution environment ("defined runtime environment variables",
 *   docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime); the region and
 *   the execution role's credentials come from the service, not from the function's configuration. PATH, LANG,
 *   TZ, NODE_PATH, NODE_OPTIONS, LD_LIBRARY_PATH and AWS_ENDPOINT_URL_* are not reserved and may be set;
 * - at most 4 KB (4096 bytes) in all: AWS measures the Variables map serialized as JSON, here
 *   `JSON.stringify(variables)` in UTF-8 bytes (keys, values, quotes, colons, commas and braces all count).
 * A refusal is AWS's 400 InvalidParameterValueException, before anything is created or changed.
 */

import { invalidParameter } from './aws-errors';

export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** Lambda's limit on the serialized Variables map. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

const RESERVED = new Set(RESERVED_ENVIRONMENT_KEYS);

/** The size AWS measures for the 4 KB limit: the map as JSON, in UTF-8 bytes. */
export function environmentSize(variables: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}

/** Throws AWS's InvalidParameterValueException when Lambda would refuse these variables. */
export function checkEnvironmentVariables(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED.has(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        'provided contains reserved keys that are currently not supported for modification. Reserved keys used in ' +
        `this request: ${reserved.join(', ')}`,
    );
  }
  const size = environmentSize(variables);
  if (size > ENVIRONMENT_LIMIT_BYTES) {
    // AWS echoes the whole JSON here; a value may be a secret, so the local service gives its size instead.
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        `provided exceeded the 4KB limit. String measured: ${size} bytes`,
    );
  }
}
