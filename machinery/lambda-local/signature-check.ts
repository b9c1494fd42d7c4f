/**
 * Checks a request's AWS Signature Version 4 the way AWS does: by computing it again with the secret of the key the
 * request names, using the AWS SDK's own signer (@smithy/signature-v4), and comparing. An unsigned request, an
 * unknown key, a wrong secret, a stale timestamp, a body that does not match its signed hash or a session token that
 * is missing or wrong is refused, each with the error AWS gives.
 */

import crypto from 'node:crypto';
import type http from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';

/** What a key id stands for, as the caller's store knows it. */
export interface KnownKey {
  secretAccessKey: string;
  /** Temporary credentials (from AssumeRole) carry a session token that must come with every request. */
  sessionToken?: string;
}

export interface SignedRequestParts {
  method: string;
  /** The request target as sent (path and query, still percent-encoded): what the client signed. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureRefusal =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'SignatureExpired';

export type SignatureOutcome =
  | { ok: true; accessKeyId: string; service: string; region: string }
  | { ok: false; refusal: SignatureRefusal; message: string };

/** AWS refuses a signature whose timestamp is more than five minutes off the server's clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape the signer takes (what @smithy/hash-node does). */
export class NodeSha256 implements Checksum {
  private readonly hash: crypto.Hash | crypto.Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

const refuse = (refusal: SignatureRefusal, message: string): SignatureOutcome => ({ ok: false, refusal, message });

/** `20261202T161500Z` as a Date; undefined when it is not that shape. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Checks the request; `keyFor` finds a key id's secret (undefined: no such key). */
export async function checkSignature(
  request: SignedRequestParts,
  keyFor: (accessKeyId: string) => KnownKey | undefined,
  now = Date.now(),
): Promise<SignatureOutcome> {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) {
    if (request.url.includes('X-Amz-Signature='))
      return refuse(
        'IncompleteSignature',
        'Query-string (presigned) signatures are not accepted by the local services',
      );
    return refuse('MissingAuthenticationToken', 'Missing Authentication Token');
  }
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match)
    return refuse(
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in AWS4-HMAC-SHA256 form`,
    );
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = match;
  const signedAt = parseAmzDate(headerValue(request.headers, 'x-amz-date'));
  const signedHeaders = signedHeaderList.split(';');
  if (!signedAt || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date'))
    return refuse('IncompleteSignature', 'The request must sign the host and x-amz-date headers, and send X-Amz-Date');
  if (Math.abs(now - signedAt.getTime()) > MAX_CLOCK_SKEW_MS)
    return refuse(
      'SignatureExpired',
      `Signature expired: ${headerValue(request.headers, 'x-amz-date')} is more than 5 min from the server's time`,
    );
  const key = keyFor(accessKeyId);
  if (!key) return refuse('InvalidClientTokenId', 'The security token included in the request is invalid.');
  const token = headerValue(request.headers, 'x-amz-security-token');
  if (key.sessionToken !== token && (key.sessionToken || token))
    return refuse('InvalidClientTokenId', 'The security token included in the request is invalid.');
  const expected = await signatureOf(request, { accessKeyId, key, region, service, signedAt, signedHeaders });
  const mismatch =
    !expected ||
    shortDate !== expected.shortDate ||
    !crypto.timingSafeEqual(Buffer.from(expected.signature), Buffer.from(signature));
  if (mismatch)
    return refuse(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  return { ok: true, accessKeyId, service, region };
}

/** The signature the client should have sent, computed over exactly the headers it says it signed. */
async function signatureOf(
  request: SignedRequestParts,
  input: {
    accessKeyId: string;
    key: KnownKey;
    region: string;
    service: string;
    signedAt: Date;
    signedHeaders: string[];
  },
): Promise<{ signature: string; shortDate: string } | undefined> {
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  const bodyHash = crypto.createHash('sha256').update(request.body).digest('hex');
  // A signed hash vouches for the body only if it is the body's hash (and "UNSIGNED-PAYLOAD" is for S3 alone).
  if (payloadHash !== undefined && payloadHash !== bodyHash) return undefined;
  const headers = Object.fromEntries(
    input.signedHeaders.map((name) => [name, headerValue(request.headers, name) ?? '']),
  );
  const [path, search = ''] = request.url.split(/\?(.*)/s, 2);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.key.secretAccessKey,
      // Given only when signed: the signer signs a token it is given.
      ...(input.signedHeaders.includes('x-amz-security-token') && { sessionToken: input.key.sessionToken }),
    },
    region: input.region,
    service: input.service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      hostname: 'local',
      path,
      query: queryOf(search),
      headers,
      body: request.body,
    }),
    {
      signingDate: input.signedAt,
      signingRegion: input.region,
      signingService: input.service,
      signableHeaders: new Set(input.signedHeaders),
    },
  );
  const again = AUTHORIZATION.exec(String(signed.headers.authorization));
  if (!again || again[5] !== input.signedHeaders.join(';')) return undefined;
  return { signature: again[6], shortDate: again[2] };
}
