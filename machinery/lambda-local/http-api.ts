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
import {
  LambdaApiError,
  accessDenied,
  entityTooLarge,
  invalidParameter,
  invalidRequestContent,
  tooLarge,
  unknownOperation,
  unsupportedMediaType,
} from './aws-errors';
import {
  functionConfiguration,
  type FunctionRecord,
  type FunctionRegistry,
  type FunctionSettings,
} from './function-registry';
import { LATEST, runnableRecord } from './function-versions';
import type { LambdaService } from './lambda-service';
import { AccessDeniedError, type Caller, type LocalAccess } from './local-access';
import { checkMetricDataRequest, type MetricDataRequest } from './metric-data-request';
import type { LocalInvocationsReport, MetricsRecorder } from './metrics';
import { lambdaOperation, type LambdaOperation } from './operations';
import { refuseForeignRequest } from './request-guard';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import { checkSignature, type SignatureOutcome } from './signature-check';
import { handleSts, stsError } from './sts-api';

/**
 * Lambda refuses a request of base64 of its 50 MB zip quota or more ("Request must be smaller than 69905067 bytes for
 * the UpdateFunctionCode operation"); so does the local service, before it buffers any more of it.
 */
export const MAX_REQUEST_BYTES = Math.ceil((LOCAL_LAMBDA_DEFAULTS.maxZipBytes * 4) / 3);

interface Reply {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

const requestTooLarge = (operation: string) =>
  entityTooLarge(`Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${operation} operation`);

/**
 * The body, up to the limit. Over it, the refusal is answered at once and the rest of the body is read and dropped
 * (by Node, once the reply is sent): destroying the socket instead would lose the 413 on the way to the client.
 */
function readBody(req: http.IncomingMessage, operation: string): Promise<Buffer> {
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
function parseJsonObject<T>(body: Buffer, what: string): T {
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
function parseJson(body: Buffer, what: string): unknown {
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    throw invalidRequestContent(`Could not parse ${what} into json: the body is not valid JSON`);
  }
}

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

const JSON_TYPES = /^application\/(json|x-amz-json-1\.[01])\b/;

/** The JSON operations' bodies must say they are JSON; a web form or a text/plain POST is not an SDK call. */
function checkJsonContentType(headers: http.IncomingHttpHeaders, body: Buffer, operation: string): void {
  if (body.length === 0) return;
  const type = headers['content-type'] ?? '';
  if (!JSON_TYPES.test(type))
    throw unsupportedMediaType(
      `The ${operation} request body must be sent as application/json (got Content-Type ${JSON.stringify(type)}): ` +
        'use an AWS SDK or the AWS CLI',
    );
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

/** The IAM action of a Lambda API operation (Invoke is lambda:InvokeFunction; the rest keep their names). */
function iamAction(operation: LambdaOperation): string {
  return `lambda:${operation === 'Invoke' ? 'InvokeFunction' : operation}`;
}

/** A function's ARN from the name, partial ARN (`name:7`) or ARN a request gives, with its qualifier. */
function functionArnOf(nameOrArn: string, qualifier?: string): string {
  const { region, accountId } = LOCAL_LAMBDA_DEFAULTS;
  const base = nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${region}:${accountId}:function:${nameOrArn}`;
  return qualifier && base.split(':').length === 7 ? `${base}:${qualifier}` : base;
}

export class LocalLambdaHttpApi {
  private readonly server: http.Server;

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

    if (url.pathname === '/local/health') return { status: 200, body: { ok: true } };
    if (url.pathname === '/local/environments') return { status: 200, body: this.environments() };
    if (url.pathname === '/local/invocations') return { status: 200, body: this.invocations() };
    if (url.pathname === '/local/calls') return { status: 200, body: this.access.calls() };

    const target = req.headers['x-amz-target'];
    if (method === 'POST' && url.pathname === '/' && typeof target === 'string') {
      const body = await readBody(req, 'GetMetricData');
      const caller = await this.authenticate(req, body, 'monitoring');
      this.authorize(caller, 'cloudwatch:GetMetricData', '*');
      checkJsonContentType(req.headers, body, 'GetMetricData');
      return this.cloudWatch(target, body);
    }
    if (method === 'POST' && url.pathname === '/') return this.sts(req);

    const operation = lambdaOperation(method, segments);
    if (!operation) throw unknownOperation(method, url.pathname);
    const body = await readBody(req, operation);
    const caller = await this.authenticate(req, body, 'lambda');
    if (operation !== 'Invoke') checkJsonContentType(req.headers, body, operation);
    this.authorize(caller, iamAction(operation), this.resourceOf(operation, segments[2], url.searchParams, body));
    if (operation === 'CreateFunction') return this.createFunction(body);
    if (operation === 'ListFunctions')
      return {
        status: 200,
        body: {
          Functions: this.registry.list().map((r) => functionConfiguration(r, LATEST, this.registry.statusOf(r))),
        },
      };

    const name = segments[2];
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    const nameWithQualifier = qualifier ? `${name}:${qualifier}` : name;
    switch (operation) {
      case 'GetFunction': {
        const { record, version } = this.versionOf(nameWithQualifier);
        return {
          status: 200,
          body: {
            Configuration: this.configurationOf(record, version),
            Code: { RepositoryType: 'S3', Location: `file://${record.codeDir}` },
            ...(record.ReservedConcurrentExecutions !== undefined && {
              Concurrency: { ReservedConcurrentExecutions: record.ReservedConcurrentExecutions },
            }),
          },
        };
      }
      case 'GetFunctionConfiguration': {
        const { record, version } = this.versionOf(nameWithQualifier);
        return { status: 200, body: this.configurationOf(record, version) };
      }
      case 'DeleteFunction':
        this.registry.delete(nameWithQualifier);
        return { status: 204 };
      case 'Invoke':
        return this.invoke(nameWithQualifier, body, req.headers);
      case 'UpdateFunctionCode': {
        const input = parseJsonObject<{ ZipFile?: string; Publish?: boolean; DryRun?: boolean }>(body, 'request body');
        if (!input.ZipFile)
          throw invalidParameter(
            'ZipFile is required (base64 of the zip); S3 and image code are not supported locally',
          );
        const zip = Buffer.from(input.ZipFile, 'base64');
        if (zip.length > LOCAL_LAMBDA_DEFAULTS.maxZipBytes) throw requestTooLarge(operation);
        if (input.DryRun) {
          const { record } = this.registry.resolve(name);
          this.registry.assertSettled(record);
          return { status: 200, body: this.configurationOf(record, LATEST) };
        }
        let record = await this.registry.updateCode(name, zip);
        let version = '$LATEST';
        if (input.Publish) ({ record, version } = this.registry.publishVersion(name));
        return {
          status: 200,
          body: this.configurationOf(runnableRecord(record, this.registry.snapshotOf(record, version)), version),
        };
      }
      case 'UpdateFunctionConfiguration':
        return {
          status: 200,
          body: this.configurationOf(
            this.registry.updateConfiguration(name, parseJsonObject<FunctionSettings>(body, 'request body')),
            LATEST,
          ),
        };
      case 'PutFunctionConcurrency': {
        const input = parseJsonObject<{ ReservedConcurrentExecutions?: number }>(body, 'request body');
        this.registry.setReservedConcurrency(name, input.ReservedConcurrentExecutions);
        return { status: 200, body: { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions } };
      }
      case 'GetFunctionConcurrency': {
        const { record } = this.registry.resolve(name);
        return {
          status: 200,
          body:
            record.ReservedConcurrentExecutions === undefined
              ? {}
              : { ReservedConcurrentExecutions: record.ReservedConcurrentExecutions },
        };
      }
      case 'DeleteFunctionConcurrency':
        this.registry.setReservedConcurrency(name, undefined);
        return { status: 204 };
      case 'PublishVersion': {
        const input = parseJsonObject<{ Description?: string; CodeSha256?: string }>(body, 'request body');
        this.registry.assertSettled(this.registry.resolve(name).record);
        const { record, version } = this.registry.publishVersion(name, {
          description: input.Description,
          expectedCodeSha256: input.CodeSha256,
        });
        return {
          status: 201,
          body: this.configurationOf(runnableRecord(record, this.registry.snapshotOf(record, version)), version),
        };
      }
      case 'ListVersionsByFunction':
        return { status: 200, body: this.listVersions(name, url.searchParams) };
    }
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

  /** The ARN IAM decides on: the function (with its qualifier) or, for ListFunctions, every resource. */
  private resourceOf(
    operation: LambdaOperation,
    name: string | undefined,
    query: URLSearchParams,
    body: Buffer,
  ): string {
    if (operation === 'ListFunctions') return '*';
    const functionName =
      operation === 'CreateFunction'
        ? String(parseJsonObject<{ FunctionName?: unknown }>(body, 'request body').FunctionName ?? '')
        : (name ?? '');
    return functionArnOf(functionName, query.get('Qualifier') ?? undefined);
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

  private async createFunction(body: Buffer): Promise<Reply> {
    const input = parseJsonObject<FunctionSettings & { Code?: { ZipFile?: string }; Publish?: boolean }>(
      body,
      'request body',
    );
    if (!input.Code?.ZipFile)
      throw invalidParameter(
        'Code.ZipFile is required (base64 of the zip); S3 and image code are not supported locally',
      );
    let record = await this.registry.create(input, Buffer.from(input.Code.ZipFile, 'base64'));
    let version = LATEST;
    if (input.Publish) ({ record, version } = this.registry.publishVersion(record.FunctionName));
    return {
      status: 201,
      body: this.configurationOf(runnableRecord(record, this.registry.snapshotOf(record, version)), version),
    };
  }

  /** FunctionConfiguration of `version`, with $LATEST's state (Pending, an update InProgress) as Lambda shows it. */
  private configurationOf(record: FunctionRecord, version: string): Record<string, unknown> {
    return version === LATEST
      ? functionConfiguration(record, version, this.registry.statusOf(record))
      : functionConfiguration(record, version);
  }

  /** What `name[:qualifier]` names: $LATEST, or a published version with its frozen code and settings. */
  private versionOf(nameWithQualifier: string): { record: FunctionRecord; version: string } {
    const { record, qualifier } = this.registry.resolve(nameWithQualifier);
    const snapshot = this.registry.snapshotOf(record, qualifier);
    return { record: runnableRecord(record, snapshot), version: snapshot?.Version ?? LATEST };
  }

  /** ListVersionsByFunction: $LATEST first, then the published versions, paged with Marker and MaxItems. */
  private listVersions(name: string, query: URLSearchParams): Record<string, unknown> {
    const { record } = this.registry.resolve(name);
    const all = [
      this.configurationOf(record, LATEST),
      ...this.registry.versions
        .list(record.FunctionName)
        .map((v) => functionConfiguration(runnableRecord(record, v), v.Version)),
    ];
    const maxItems = Number(query.get('MaxItems') ?? 50);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)
      throw invalidParameter('MaxItems must be between 1 and 10000');
    const start = Number(query.get('Marker') ?? 0);
    if (!Number.isInteger(start) || start < 0)
      throw invalidParameter('Marker is not valid: pass the NextMarker of the previous page');
    const page = all.slice(start, start + maxItems);
    return { Versions: page, ...(start + maxItems < all.length && { NextMarker: String(start + maxItems) }) };
  }

  private async invoke(nameOrArn: string, payload: Buffer, headers: http.IncomingHttpHeaders): Promise<Reply> {
    const resolved = this.versionOf(nameOrArn);
    const { record: latest, qualifier } = this.registry.resolve(nameOrArn);
    // Refused while the function is Pending (every invocation type); during an update $LATEST runs its previous code.
    const current = this.registry.invocable(latest);
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
      this.service.invokeAsync(record, event, invoked);
      return { status: 202, headers: executed };
    }
    if (type !== 'RequestResponse')
      throw invalidParameter(`InvocationType must be RequestResponse, Event or DryRun (got ${type})`);
    if (event.length > LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes) {
      throw tooLarge(
        `Request payload size (${event.length} bytes) exceeded the ${LOCAL_LAMBDA_DEFAULTS.maxSyncPayloadBytes}-byte limit for synchronous invocation`,
      );
    }
    const outcome = await this.service.invokeSync(record, event, invoked);
    const replyHeaders: Record<string, string> = { ...executed };
    if (!outcome.ok) replyHeaders['X-Amz-Function-Error'] = 'Unhandled';
    if (headers['x-amz-log-type'] === 'Tail')
      replyHeaders['X-Amz-Log-Result'] = Buffer.from(outcome.logTail).toString('base64');
    return { status: 200, raw: outcome.body, headers: replyHeaders };
  }

  /** CloudWatch GetMetricData (AWS JSON 1.0), for the AWS/Lambda metrics and the local extras. */
  private cloudWatch(target: string, body: Buffer): Reply {
    if (!target.endsWith('.GetMetricData')) {
      throw new LambdaApiError(
        400,
        'UnknownOperationException',
        `The local service implements only GetMetricData (got ${target})`,
      );
    }
    const input = checkMetricDataRequest(parseJsonObject<Partial<MetricDataRequest>>(body, 'request body'));
    const results = input.MetricDataQueries.map((query) => {
      const stat = query.MetricStat;
      const fn = stat?.Metric.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value;
      if (!stat || !fn)
        return { Id: query.Id, Label: query.Label ?? query.Id, Timestamps: [], Values: [], StatusCode: 'Complete' };
      const series = this.metrics.series(
        fn,
        stat.Metric.MetricName,
        stat.Stat,
        input.StartTime * 1000,
        input.EndTime * 1000,
        stat.Period,
      );
      return {
        Id: query.Id,
        Label: query.Label ?? stat.Metric.MetricName,
        Timestamps: series.timestamps.map((t) => t / 1000),
        Values: series.values,
        StatusCode: 'Complete',
      };
    });
    return {
      status: 200,
      body: { MetricDataResults: results, Messages: [] },
      headers: { 'content-type': 'application/x-amz-json-1.0' },
    };
  }

  /** Every invocation of every function, finished and running, for the console's timeline and wake-up ledger. */
  private invocations(): LocalInvocationsReport[] {
    return this.registry.list().map((record) => ({
      functionName: record.FunctionName,
      memoryMb: record.MemorySize,
      finished: this.metrics.invocationsOf(record.FunctionName).map((i) => ({
        requestId: i.requestId,
        startedAt: i.startedAt,
        endedAt: i.endedAt,
        memoryMb: i.memoryMb,
        ...(i.environmentId && { environmentId: i.environmentId }),
        ...(i.initDurationMs !== undefined && { initDurationMs: i.initDurationMs }),
        ...(i.errorType && { errorType: i.errorType }),
        ...(i.response && { response: i.response }),
      })),
      running: this.metrics.runningOf(record.FunctionName).map((r) => ({
        requestId: r.requestId,
        startedAt: r.startedAt,
        ...(r.environmentId && { environmentId: r.environmentId }),
      })),
    }));
  }

  private environments(): unknown {
    return this.registry.list().map((record) => ({
      functionName: record.FunctionName,
      concurrencyLimit: this.service.concurrencyLimit(record),
      queuedEvents: this.service.queued(record.FunctionName),
      environments: this.service.environmentsOf(record.FunctionName).map((e) => ({
        id: e.id,
        pid: e.pid,
        state: e.state,
        frozen: e.isFrozen,
        invocations: e.invocations,
        requestId: e.currentRequestId,
      })),
    }));
  }
}
