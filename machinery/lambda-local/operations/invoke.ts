/** Invoke: runs the function (or the version the name or Qualifier picks) synchronously, as an event, or dry. */

import { invalidParameter, tooLarge } from '../aws-errors';
import { LATEST } from '../function-versions';
import type { Reply } from '../http-reply';
import { parseJson } from '../request-body';
import { LOCAL_LAMBDA_DEFAULTS } from '../settings';
import { versionOf } from './function-views';
import type { LambdaBackend, LambdaOperationHandler, OperationRequest } from './operation';

export const invoke: LambdaOperationHandler = {
  takesAnyContentType: true,
  handle: invokeFunction,
};

async function invokeFunction(
  { nameWithQualifier: nameOrArn, body: payload, headers }: OperationRequest,
  { registry, service }: LambdaBackend,
): Promise<Reply> {
  const resolved = versionOf(registry, nameOrArn);
  const { record: latest, qualifier } = registry.resolve(nameOrArn);
  // Refused while the function is Pending (every invocation type); during an update $LATEST runs its previous code.
  const current = registry.invocable(latest);
  const { version } = resolved;
  const record = version === LATEST ? current : resolved.record;
  // context.invokedFunctionArn is the ARN the caller used: qualified when invoked with a version.
  const invoked = { version, invokedArn: qualifier ? `${record.FunctionArn}:${qualifier}` : record.FunctionArn };
  const type = String(headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const executed = { 'X-Amz-Executed-Version': version };
  if (payload.length > 0) parseJson(payload, 'request payload');
  const event = payload.length > 0 ? payload : Buffer.from('{}');
  if (type === 'DryRun') return { status: 204, headers: executed };
  if (type === 'Event') {
    if (event.length > LOCAL_LAMBDA_DEFAULTS.maxAsyncPayloadBytes) {
      throw tooLarge(
        `Request payload size (${event.length} bytes) exceeded the ${LOCAL_LAMBDA_DEFAULTS.maxAsyncPayloadBytes}-byte limit for asynchronous invocation`,
      );
    }
    service.invokeAsync(record, event, invoked);
    return { status: 202, headers: executed };
  }
  if (type !== 'RequestResponse')
    throw invalidParameter(`InvocationType must be RequestResponse, Event or DryRun (got ${type})`);
  if (event.length > LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes) {
    throw tooLarge(
      `Request payload size (${event.length} bytes) exceeded the ${LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes}-byte limit for synchronous invocation`,
    );
  }
  const outcome = await service.invokeSync(record, event, invoked);
  const replyHeaders: Record<string, string> = { ...executed };
  if (!outcome.ok) replyHeaders['X-Amz-Function-Error'] = 'Unhandled';
  if (headers['x-amz-log-type'] === 'Tail')
    replyHeaders['X-Amz-Log-Result'] = Buffer.from(outcome.logTail).toString('base64');
  return { status: 200, raw: outcome.body, headers: replyHeaders };
}
