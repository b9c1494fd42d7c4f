/**
 * Signs a hand-made request as an AWS SDK would (SigV4, the SDK's own signer), so raw-HTTP tests can reach the
 * checks behind the local service's signature check; or leaves it unsigned, or signs it wrongly on purpose.
 */

import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { localDeveloperCredentials } from '../../machinery/lambda-local/local-aws-clients';
import { NodeSha256 } from '../../machinery/lambda-local/signature-check';

export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface HandMadeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The request's headers with X-Amz-Date and Authorization added (the Host header must already be in them). */
export async function signedHeaders(
  request: HandMadeRequest,
  options: { key?: SigningKey; service?: string; region?: string; date?: Date } = {},
): Promise<Record<string, string>> {
  const [path, search = ''] = request.path.split(/\?(.*)/s, 2);
  const signer = new SignatureV4({
    credentials: options.key ?? localDeveloperCredentials(),
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'lambda',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      hostname: '127.0.0.1',
      path,
      query: Object.fromEntries(new URLSearchParams(search)),
      headers: request.headers,
      body: request.body,
    }),
    { signingDate: options.date ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}
