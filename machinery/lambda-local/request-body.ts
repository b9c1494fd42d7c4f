/**
 * Reading and checking an AWS request's body, as Lambda does: refused past its size limit before more of it is
 * buffered, and for the JSON operations, refused unless it is a JSON object sent as JSON.
 */

import type http from 'node:http';
import { entityTooLarge, invalidRequestContent, unsupportedMediaType } from './aws-errors';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

/**
 * Lambda refuses a request of base64 of its 50 MB zip quota or more ("Request must be smaller than 69905067 bytes for
 * the UpdateFunctionCode operation"); so does the local service, before it buffers any more of it.
 */
export const MAX_REQUEST_BYTES = Math.ceil((LOCAL_LAMBDA_DEFAULTS.maxZipBytes * 4) / 3);

export const requestTooLarge = (operation: string) =>
  entityTooLarge(`Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${operation} operation`);

/**
 * The body, up to the limit. Over it, the refusal is answered at once and the rest of the body is read and dropped
 * (by Node, once the reply is sent): destroying the socket instead would lose the 413 on the way to the client.
 */
export function readBody(req: http.IncomingMessage, operation: string): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) >= MAX_REQUEST_BYTES)
    return Promise.reject(requestTooLarge(operation));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size < MAX_REQUEST_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      chunks.length = 0;
      reject(requestTooLarge(operation));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A request body of one of Lambda's JSON operations: a JSON object, as the AWS SDKs send. */
export function parseJsonObject<T>(body: Buffer, what: string): T {
  const value = parseJson(body, what);
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequestContent(
      `Could not parse ${what} into json: it must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as T;
}

/** Any JSON value (an Invoke payload may be null or a string); undefined for an empty body. */
export function parseJson(body: Buffer, what: string): unknown {
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    throw invalidRequestContent(`Could not parse ${what} into json: the body is not valid JSON`);
  }
}

const JSON_TYPES = /^application\/(json|x-amz-json-1\.[01])\b/;

/** The JSON operations' bodies must say they are JSON; a web form or a text/plain POST is not an SDK call. */
export function checkJsonContentType(headers: http.IncomingHttpHeaders, body: Buffer, operation: string): void {
  if (body.length === 0) return;
  const type = headers['content-type'] ?? '';
  if (!JSON_TYPES.test(type))
    throw unsupportedMediaType(
      `The ${operation} request body must be sent as application/json (got Content-Type ${JSON.stringify(type)}): ` +
        'use an AWS SDK or the AWS CLI',
    );
}
