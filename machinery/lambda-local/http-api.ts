/**
 * The HTTP face of the local Lambda service, on 127.0.0.1: the part of the AWS Lambda REST API that the Temporal
 * worker controller (AWS SDK for Go v2) and ShopFlow's scripts (AWS SDK v3) use, and CloudWatch's GetMetricData
 * (AWS JSON 1.0) for `npm run metrics`, and STS AssumeRole (sts-api.ts) for the controller. Shapes and errors follow
 * AWS's. Only programs on this machine may call it: a foreign Host or any Origin header is refused first
 * (request-guard.ts); then every AWS call must be signed with a key of the local account (signature-check.ts), and
 * the caller's policies must allow it (local-access.ts), as on AWS.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaApiError, accessDenied, invalidRequestContent, unknownOperation } from './aws-errors';
import { getMetricData } from './cloudwatch-api';
import type { FunctionRegistry } from './function-registry';
import type { Reply } from './http-reply';
import type { LambdaService } from './lambda-service';
import { AccessDeniedError, type Caller, type LocalAccess } from './local-access';
import { environmentsReport, invocationsReport } from './local-reports';
import type { MetricsRecorder } from './metrics';
import { functionArnOf, type OperationRequest } from './operations/operation';
import { lambdaOperation } from './operations/routes';
import { LAMBDA_OPERATIONS, iamAction } from './operations/table';
import { checkJsonContentType, readBody } from './request-body';
import { refuseForeignRequest } from './request-guard';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import { checkSignature, type SignatureOutcome } from './signature-check';
import { handleSts, stsError } from './sts-api';

// Kept here too: the tests of the size limit import it from the HTTP API.
export { MAX_REQUEST_BYTES } from './request-body';

/** The path's segments, percent-decoded; a malformed escape (a bare "%") is the caller's error, not a 500. */
function pathSegments(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw invalidRequestContent(
      `The path ${pathname} is not valid percent-encoding: write "%" as "%25" (the AWS SDKs encode paths this way)`,
    );
  }
}

/** Lambda's names for a refused signature (STS uses the refusal's own name). */
const LAMBDA_SIGNATURE_ERRORS: Record<Exclude<SignatureOutcome, { ok: true }>['refusal'], string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  SignatureExpired: 'InvalidSignatureException',
};

/** AWS's sentence, then where the local keys are: the fix for a call made with other keys or none. */
function withLocalKeysHint(outcome: Exclude<SignatureOutcome, { ok: true }>): string {
  return (
    `${outcome.message} (the local services take only the local account's keys: sign with an AWS SDK client from ` +
    'machinery/lambda-local/local-aws-clients.ts, which reads them from data/local-aws/keys.json)'
  );
}

/** The request a Lambda API handler sees: the function the path names, the qualifier, the body and headers. */
function operationRequest(
  segments: readonly string[],
  query: URLSearchParams,
  body: Buffer,
  headers: http.IncomingHttpHeaders,
): OperationRequest {
  const name = segments[2] ?? '';
  const qualifier = query.get('Qualifier') ?? undefined;
  return { name, qualifier, nameWithQualifier: qualifier ? `${name}:${qualifier}` : name, query, body, headers };
}

export class LocalLambdaHttpApi {
  private readonly server: http.Server;
  /** The local service's own reports (not AWS's), for the console and the tests: unsigned, GET or not. */
  private readonly localReports = new Map<string, () => unknown>([
    ['/local/health', () => ({ ok: true })],
    ['/local/environments', () => environmentsReport(this.registry, this.service)],
    ['/local/invocations', () => invocationsReport(this.registry, this.metrics)],
    ['/local/calls', () => this.access.calls()],
  ]);

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly service: LambdaService,
    private readonly metrics: MetricsRecorder,
    private readonly access: LocalAccess,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await this.route(req);
    } catch (err) {
      const error =
        err instanceof LambdaApiError ? err : new LambdaApiError(500, 'ServiceException', (err as Error).message);
      reply = { status: error.status, body: error.body(), headers: { 'x-amzn-ErrorType': error.code } };
    }
    const payload = reply.raw ?? (reply.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.body)));
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'x-amzn-RequestId': crypto.randomUUID(),
      'content-length': String(payload.length),
      ...reply.headers,
    });
    res.end(payload);
  }

  private async route(req: http.IncomingMessage): Promise<Reply> {
    // Web pages and DNS rebinding: refused before anything is read or done.
    const refused = refuseForeignRequest(req.headers, this.address().port);
    if (refused) throw refused;
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const segments = pathSegments(url.pathname);
    const report = this.localReports.get(url.pathname);
    if (report) return { status: 200, body: report() };
    const target = req.headers['x-amz-target'];
    if (method === 'POST' && url.pathname === '/' && typeof target === 'string') return this.cloudWatch(req, target);
    if (method === 'POST' && url.pathname === '/') return this.sts(req);
    return this.lambda(req, method, url, segments);
  }

  /** A Lambda API operation: the checks every operation shares, in Lambda's order, then the operation's handler. */
  private async lambda(req: http.IncomingMessage, method: string, url: URL, segments: string[]): Promise<Reply> {
    const operation = lambdaOperation(method, segments);
    if (!operation) throw unknownOperation(method, url.pathname);
    const handler = LAMBDA_OPERATIONS[operation];
    const body = await readBody(req, operation);
    const caller = await this.authenticate(req, body, 'lambda');
    if (!handler.takesAnyContentType) checkJsonContentType(req.headers, body, operation);
    const request = operationRequest(segments, url.searchParams, body, req.headers);
    const resource = handler.resource?.(request) ?? functionArnOf(request.name, request.qualifier);
    this.authorize(caller, iamAction(operation), resource);
    return handler.handle(request, { registry: this.registry, service: this.service });
  }

  /** The caller a request's signature proves, scoped to `service`; refused in Lambda's error shape otherwise. */
  private async authenticate(req: http.IncomingMessage, body: Buffer, service: string): Promise<Caller> {
    const outcome = await this.checkSigned(req, body, service);
    if (!outcome.ok) {
      this.access.record({
        caller: 'unknown',
        action: `${service}:${req.method} ${req.url}`,
        resource: '',
        outcome: outcome.refusal,
      });
      throw new LambdaApiError(403, LAMBDA_SIGNATURE_ERRORS[outcome.refusal], withLocalKeysHint(outcome));
    }
    return this.access.callerOf(outcome.accessKeyId);
  }

  private async checkSigned(req: http.IncomingMessage, body: Buffer, service: string): Promise<SignatureOutcome> {
    const outcome = await checkSignature(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      (key) => this.access.keyFor(key),
    );
    if (!outcome.ok) return outcome;
    if (outcome.service !== service)
      return {
        ok: false,
        refusal: 'SignatureDoesNotMatch',
        message: `Credential should be scoped to correct service: '${service}'.`,
      };
    if (outcome.region !== LOCAL_LAMBDA_DEFAULTS.region)
      return {
        ok: false,
        refusal: 'SignatureDoesNotMatch',
        message: `Credential should be scoped to a valid region (the local services are ${LOCAL_LAMBDA_DEFAULTS.region}).`,
      };
    return outcome;
  }

  private authorize(caller: Caller, action: string, resource: string): void {
    try {
      this.access.authorize(caller, action, resource);
    } catch (err) {
      if (err instanceof AccessDeniedError) throw accessDenied(err.message);
      throw err;
    }
  }

  /** STS (Query protocol): signed for `sts`, answered in XML, errors in STS's shape. */
  private async sts(req: http.IncomingMessage): Promise<Reply> {
    const body = await readBody(req, 'AssumeRole');
    const type = req.headers['content-type'] ?? '';
    const outcome = /^application\/x-www-form-urlencoded\b/.test(type)
      ? await this.checkSigned(req, body, 'sts')
      : undefined;
    const reply = !outcome
      ? stsError(
          400,
          'InvalidAction',
          `STS takes form-encoded requests (got Content-Type ${JSON.stringify(type)}): use an AWS SDK`,
        )
      : !outcome.ok
        ? stsError(403, outcome.refusal, withLocalKeysHint(outcome))
        : handleSts(body, this.access.callerOf(outcome.accessKeyId), this.access);
    return { status: reply.status, raw: Buffer.from(reply.xml), headers: { 'content-type': 'text/xml' } };
  }

  /** CloudWatch (AWS JSON 1.0): signed for `monitoring`, allowed by IAM, a JSON body. */
  private async cloudWatch(req: http.IncomingMessage, target: string): Promise<Reply> {
    const body = await readBody(req, 'GetMetricData');
    const caller = await this.authenticate(req, body, 'monitoring');
    this.authorize(caller, 'cloudwatch:GetMetricData', '*');
    checkJsonContentType(req.headers, body, 'GetMetricData');
    return getMetricData(target, body, this.metrics);
  }
}
