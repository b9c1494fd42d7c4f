/**
 * Which Lambda API operation a request is, from its method and path (the REST routes of API version 2015-03-31 and
 * the two later versions that the concurrency and other routes use), as AWS names it in errors.
 */

/** The API versions in Lambda's REST paths that the local service answers. */
export const API_VERSIONS = ['2015-03-31', '2017-10-31', '2019-09-30'];

export type LambdaOperation =
  | 'CreateFunction'
  | 'ListFunctions'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'DeleteFunction'
  | 'Invoke'
  | 'UpdateFunctionCode'
  | 'UpdateFunctionConfiguration'
  | 'PutFunctionConcurrency'
  | 'GetFunctionConcurrency'
  | 'DeleteFunctionConcurrency'
  | 'PublishVersion'
  | 'ListVersionsByFunction';

const BY_FUNCTION: Record<string, LambdaOperation> = {
  'GET ': 'GetFunction',
  'GET configuration': 'GetFunctionConfiguration',
  'DELETE ': 'DeleteFunction',
  'POST invocations': 'Invoke',
  'PUT code': 'UpdateFunctionCode',
  'PUT configuration': 'UpdateFunctionConfiguration',
  'PUT concurrency': 'PutFunctionConcurrency',
  'GET concurrency': 'GetFunctionConcurrency',
  'DELETE concurrency': 'DeleteFunctionConcurrency',
  'POST versions': 'PublishVersion',
  'GET versions': 'ListVersionsByFunction',
};

/** The operation of `METHOD /version/functions[/name[/action]]`; undefined when the local service has none there. */
export function lambdaOperation(method: string, segments: readonly string[]): LambdaOperation | undefined {
  const [apiVersion, collection, name, action, ...rest] = segments;
  if (collection !== 'functions' || !API_VERSIONS.includes(apiVersion) || rest.length > 0) return undefined;
  if (!name) return method === 'POST' ? 'CreateFunction' : method === 'GET' ? 'ListFunctions' : undefined;
  return BY_FUNCTION[`${method} ${action ?? ''}`];
}
