/**
 * The shape of one Lambda API operation's handler. The dispatcher (http-api.ts) has already read the body, checked
 * the signature, the JSON content type and the caller's permission on the resource when a handler runs.
 */

import type http from 'node:http';
import type { FunctionRegistry } from '../function-registry';
import type { Reply } from '../http-reply';
import type { LambdaService } from '../lambda-service';
import { LOCAL_LAMBDA_DEFAULTS } from '../settings';

/** A Lambda API request, as the handlers see it. */
export interface OperationRequest {
  /** The function the path names (`/2015-03-31/functions/{name}/...`); empty for CreateFunction and ListFunctions. */
  name: string;
  /** The `Qualifier` query parameter, if any. */
  qualifier?: string;
  /** `name:qualifier` when a qualifier is given, else `name`. */
  nameWithQualifier: string;
  query: URLSearchParams;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** What the handlers act on. */
export interface LambdaBackend {
  registry: FunctionRegistry;
  service: LambdaService;
}

export interface LambdaOperationHandler {
  handle(request: OperationRequest, lambda: LambdaBackend): Reply | Promise<Reply>;
  /** The body is the caller's own payload (Invoke's event), not a JSON request: its Content-Type is not checked. */
  takesAnyContentType?: boolean;
  /** The ARN IAM decides on, when not the function the path names (with its qualifier). */
  resource?(request: OperationRequest): string;
}

/** A function's ARN from the name, partial ARN (`name:7`) or ARN a request gives, with its qualifier. */
export function functionArnOf(nameOrArn: string, qualifier?: string): string {
  const { region, accountId } = LOCAL_LAMBDA_DEFAULTS;
  const base = nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${region}:${accountId}:function:${nameOrArn}`;
  return qualifier && base.split(':').length === 7 ? `${base}:${qualifier}` : base;
}
