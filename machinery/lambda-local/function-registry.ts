/**
 * The functions the local service knows: configuration in AWS's shape, code unpacked from the uploaded zip.
 * State lives in a folder (default data/lambda-local/), so deployed functions survive a restart of the service.
 */

import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { extractZip } from '../plumbing/zip';
import { conflict, invalidParameter, notFound, validationError } from './aws-errors';
import { checkEnvironmentVariables } from './environment-rules';
import { FunctionVersions, LATEST, type VersionSnapshot } from './function-versions';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import { checkUploadedZip } from './zip-checks';

export interface FunctionRecord {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  /** The size of the function's /tmp in MB (512-10240). */
  EphemeralStorage: { Size: number };
  Environment: { Variables: Record<string, string> };
  Architectures: LambdaArchitecture[];
  CodeSha256: string;
  CodeSize: number;
  LastModified: string;
  RevisionId: string;
  ReservedConcurrentExecutions?: number;
  /** Published versions, newest last (PublishVersion / Publish: true). */
  PublishedVersions: string[];
  /** Not part of AWS's shape: where the unpacked code is. */
  codeDir: string;
}

/** The fields CreateFunction / UpdateFunctionConfiguration accept (AWS names). */
export interface FunctionSettings {
  FunctionName?: string;
  Runtime?: string;
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  EphemeralStorage?: { Size?: number };
  Environment?: { Variables?: Record<string, string> };
  Architectures?: LambdaArchitecture[];
}

/**
 * Runs on freshly unpacked code before it is used (CreateFunction, UpdateFunctionCode): the service adds the host's
 * native Temporal core there on a Mac. Throwing fails the deployment and keeps nothing.
 */
export type PrepareCode = (codeDir: string, functionName: string) => void;

const NAME_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

const DEFAULT_EPHEMERAL_STORAGE = { Size: LOCAL_LAMBDA_DEFAULTS.defaultEphemeralStorageMb };

/** AWS's text for an EphemeralStorage.Size outside 512-10240 MB (its API model's constraint), or undefined. */
export function ephemeralStorageProblem(size: unknown): string | undefined {
  const { minEphemeralStorageMb: min, maxEphemeralStorageMb: max } = LOCAL_LAMBDA_DEFAULTS;
  const constraint = (rule: string) =>
    `1 validation error detected: Value '${String(size)}' at 'ephemeralStorage.size' failed to satisfy constraint: Member must ${rule}`;
  if (typeof size !== 'number' || !Number.isInteger(size)) return constraint('be a whole number of MB');
  if (size < min) return constraint(`have value greater than or equal to ${min}`);
  if (size > max) return constraint(`have value less than or equal to ${max}`);
  return undefined;
}

/**
 * Where $LATEST is in its lifecycle, as Lambda reports it: Pending after CreateFunction, then Active; an update
 * leaves it Active with LastUpdateStatus InProgress, then Successful. Published versions are always Active.
 */
export interface FunctionStatus {
  State: 'Pending' | 'Active';
  /** Absent while the function is being created (Lambda sets it to Successful once creation completes). */
  LastUpdateStatus?: 'InProgress' | 'Successful';
}

const SETTLED: FunctionStatus = { State: 'Active', LastUpdateStatus: 'Successful' };
/** Lambda's reason while a function is created or updated (StateReason / LastUpdateStatusReason, code Creating). */
const BEING_CREATED = 'The function is being created.';

function lastModified(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

export class FunctionRegistry {
  private readonly functions = new Map<string, FunctionRecord>();
  /** Functions not yet settled (Pending or InProgress); a function missing here is Active and Successful. */
  private readonly unsettled = new Map<
    string,
    { status: FunctionStatus; timer: NodeJS.Timeout; previous?: FunctionRecord }
  >();
  /** Each published version's frozen code and settings. */
  readonly versions: FunctionVersions;

  constructor(
    private readonly stateDir: string,
    private readonly region: string = LOCAL_LAMBDA_DEFAULTS.region,
    private readonly accountId: string = LOCAL_LAMBDA_DEFAULTS.accountId,
    private readonly prepareCode: PrepareCode = () => {},
    /** How long Pending and InProgress last (settings.ts stateTransitionMs). */
    private readonly stateTransitionMs: number = LOCAL_LAMBDA_DEFAULTS.stateTransitionMs,
  ) {
    this.versions = new FunctionVersions(stateDir);
    fs.mkdirSync(path.join(stateDir, 'functions'), { recursive: true });
    for (const name of fs.readdirSync(path.join(stateDir, 'functions'))) {
      const file = path.join(stateDir, 'functions', name, 'function.json');
      if (!fs.existsSync(file)) continue;
      // A function saved before EphemeralStorage was kept has Lambda's default.
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionRecord;
      saved.EphemeralStorage ??= { ...DEFAULT_EPHEMERAL_STORAGE };
      this.functions.set(name, saved);
    }
  }

  arnOf(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  /** Accepts a name, a partial ARN or a full ARN, with or without a qualifier, as Lambda does. */
  resolve(nameOrArn: string): { record: FunctionRecord; qualifier?: string } {
    const decoded = decodeURIComponent(nameOrArn);
    const match =
      /^(?:arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(
        decoded,
      );
    const record = match ? this.functions.get(match[4]) : undefined;
    const arnRegion = match?.[1];
    const arnAccount = match?.[2] ?? match?.[3];
    if (!record || (arnRegion && arnRegion !== this.region) || (arnAccount && arnAccount !== this.accountId)) {
      throw notFound(decoded.startsWith('arn:') ? decoded : this.arnOf(decoded));
    }
    const qualifier = match?.[5];
    if (qualifier && qualifier !== '$LATEST' && !record.PublishedVersions.includes(qualifier)) {
      throw notFound(`${record.FunctionArn}:${qualifier}`);
    }
    return { record, qualifier };
  }

  list(): FunctionRecord[] {
    return [...this.functions.values()];
  }

  async create(settings: FunctionSettings, zip: Buffer): Promise<FunctionRecord> {
    const name = settings.FunctionName ?? '';
    if (!NAME_PATTERN.test(name))
      throw invalidParameter(`FunctionName "${name}" must be 1-64 letters, digits, '-' or '_'`);
    if (this.functions.has(name)) throw conflict(`Function already exist: ${name}`);
    if (!settings.Handler) throw invalidParameter('Handler is required, for example index.handler');
    if (!settings.Role) throw invalidParameter('Role is required (any ARN will do locally)');
    const record: FunctionRecord = {
      FunctionName: name,
      FunctionArn: this.arnOf(name),
      Runtime: settings.Runtime ?? 'nodejs22.x',
      Role: settings.Role,
      Handler: settings.Handler,
      Description: settings.Description ?? '',
      Timeout: settings.Timeout ?? LOCAL_LAMBDA_DEFAULTS.defaultTimeoutSeconds,
      MemorySize: settings.MemorySize ?? LOCAL_LAMBDA_DEFAULTS.defaultMemoryMb,
      EphemeralStorage: { Size: settings.EphemeralStorage?.Size ?? LOCAL_LAMBDA_DEFAULTS.defaultEphemeralStorageMb },
      Environment: { Variables: settings.Environment?.Variables ?? {} },
      Architectures: settings.Architectures ?? ['x86_64'],
      CodeSha256: '',
      CodeSize: 0,
      LastModified: lastModified(),
      RevisionId: randomUUID(),
      PublishedVersions: [],
      codeDir: '',
    };
    this.validate(record);
    checkEnvironmentVariables(record.Environment.Variables);
    await this.storeCode(record, zip);
    this.begin(record.FunctionName, { State: 'Pending' });
    return record;
  }

  async updateCode(nameOrArn: string, zip: Buffer): Promise<FunctionRecord> {
    const { record } = this.resolve(nameOrArn);
    this.assertSettled(record);
    const previous = { ...record };
    await this.storeCode(record, zip);
    this.begin(record.FunctionName, { State: 'Active', LastUpdateStatus: 'InProgress' }, previous);
    return record;
  }

  updateConfiguration(nameOrArn: string, settings: FunctionSettings): FunctionRecord {
    const { record } = this.resolve(nameOrArn);
    this.assertSettled(record);
    const updated: FunctionRecord = {
      ...record,
      ...(settings.Runtime && { Runtime: settings.Runtime }),
      ...(settings.Role && { Role: settings.Role }),
      ...(settings.Handler && { Handler: settings.Handler }),
      ...(settings.Description !== undefined && { Description: settings.Description }),
      ...(settings.Timeout !== undefined && { Timeout: settings.Timeout }),
      ...(settings.MemorySize !== undefined && { MemorySize: settings.MemorySize }),
      ...(settings.EphemeralStorage?.Size !== undefined && {
        EphemeralStorage: { Size: settings.EphemeralStorage.Size },
      }),
      ...(settings.Environment && { Environment: { Variables: settings.Environment.Variables ?? {} } }),
      LastModified: lastModified(),
      RevisionId: randomUUID(),
    };
    this.validate(updated);
    // Only what the request sets is checked: a configuration saved before these rules still takes other updates.
    if (settings.Environment) checkEnvironmentVariables(updated.Environment.Variables);
    this.save(updated);
    this.begin(updated.FunctionName, { State: 'Active', LastUpdateStatus: 'InProgress' }, record);
    return updated;
  }

  /** Where $LATEST is in its lifecycle (published versions are always Active and Successful). */
  statusOf(record: FunctionRecord): FunctionStatus {
    return this.unsettled.get(record.FunctionName)?.status ?? SETTLED;
  }

  /**
   * Refuses, with Lambda's ResourceConflictException, what Lambda refuses before a function has settled: anything
   * while it is Pending, another update or a PublishVersion while an update is InProgress.
   */
  assertSettled(record: FunctionRecord): void {
    const status = this.statusOf(record);
    if (status.State === 'Pending') throw resourceNotReady(record.FunctionArn, status.State);
    if (status.LastUpdateStatus === 'InProgress')
      throw conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${record.FunctionArn}`,
      );
  }

  /**
   * The record an invocation of $LATEST runs: refused while the function is Pending; while an update is InProgress,
   * Lambda keeps running the code and configuration from before the update.
   */
  invocable(record: FunctionRecord): FunctionRecord {
    const unsettled = this.unsettled.get(record.FunctionName);
    if (unsettled?.status.State === 'Pending') throw notReady(unsettled.status.State);
    return unsettled?.previous ?? record;
  }

  /** Marks $LATEST unsettled for stateTransitionMs, then Active and Successful. */
  private begin(name: string, status: FunctionStatus, previous?: FunctionRecord): void {
    this.settle(name);
    const timer = setTimeout(() => this.settle(name), this.stateTransitionMs);
    timer.unref();
    this.unsettled.set(name, { status, timer, previous });
  }

  private settle(name: string): void {
    clearTimeout(this.unsettled.get(name)?.timer);
    this.unsettled.delete(name);
  }

  setReservedConcurrency(nameOrArn: string, reserved: number | undefined): FunctionRecord {
    const { record } = this.resolve(nameOrArn);
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 0)) {
      throw invalidParameter('ReservedConcurrentExecutions must be a whole number, 0 or more');
    }
    const updated = { ...record, ReservedConcurrentExecutions: reserved };
    this.save(updated);
    return updated;
  }

  /** PublishVersion: freezes $LATEST as a numbered version (or returns the newest, if nothing changed since). */
  publishVersion(
    nameOrArn: string,
    options: { description?: string; expectedCodeSha256?: string } = {},
  ): { record: FunctionRecord; version: string } {
    const { record } = this.resolve(nameOrArn);
    const snapshot = this.versions.publish(record, options);
    const updated = record.PublishedVersions.includes(snapshot.Version)
      ? record
      : { ...record, PublishedVersions: [...record.PublishedVersions, snapshot.Version] };
    this.save(updated);
    return { record: updated, version: snapshot.Version };
  }

  /** The frozen settings of a published version; undefined for $LATEST. */
  snapshotOf(record: FunctionRecord, qualifier: string | undefined): VersionSnapshot | undefined {
    return qualifier && qualifier !== LATEST ? this.versions.find(record.FunctionName, qualifier) : undefined;
  }

  /** DeleteFunction: one published version (with a qualifier), or the function with all its versions and code. */
  delete(nameOrArn: string): { record: FunctionRecord; version?: string } {
    const { record, qualifier } = this.resolve(nameOrArn);
    if (qualifier === LATEST)
      throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (qualifier) {
      this.versions.remove(record.FunctionName, qualifier);
      this.save({ ...record, PublishedVersions: record.PublishedVersions.filter((v) => v !== qualifier) });
      return { record, version: qualifier };
    }
    this.functions.delete(record.FunctionName);
    this.settle(record.FunctionName);
    fs.rmSync(path.join(this.stateDir, 'functions', record.FunctionName), { recursive: true, force: true });
    return { record };
  }

  private validate(record: FunctionRecord): void {
    if (!Number.isInteger(record.Timeout) || record.Timeout < 1 || record.Timeout > 900) {
      throw invalidParameter(`Timeout ${record.Timeout} must be between 1 and 900 seconds`);
    }
    if (!Number.isInteger(record.MemorySize) || record.MemorySize < 128 || record.MemorySize > 10_240) {
      throw invalidParameter(`MemorySize ${record.MemorySize} must be between 128 and 10240 MB`);
    }
    const ephemeral = ephemeralStorageProblem(record.EphemeralStorage.Size);
    if (ephemeral) throw validationError(ephemeral);
    if (!/^[^.]+\.[^.]+$/.test(record.Handler))
      throw invalidParameter(`Handler "${record.Handler}" must look like file.export, for example index.handler`);
  }

  private async storeCode(record: FunctionRecord, zip: Buffer): Promise<void> {
    if (zip.length === 0) throw invalidParameter('ZipFile is empty');
    // Sizes, entry count and names are checked from the zip in memory: a refused zip never touches the disk.
    await checkUploadedZip(zip);
    const sha = createHash('sha256').update(zip).digest();
    const codeDir = path.join(
      this.stateDir,
      'functions',
      record.FunctionName,
      'code',
      sha.toString('hex').slice(0, 16),
    );
    const functionDir = path.join(this.stateDir, 'functions', record.FunctionName);
    const newFunction = !fs.existsSync(functionDir);
    if (!fs.existsSync(codeDir)) {
      try {
        await this.unpack(zip, codeDir, record.FunctionName);
      } catch (err) {
        // A CreateFunction that failed leaves no folder behind for the next start to find.
        if (newFunction) fs.rmSync(functionDir, { recursive: true, force: true });
        throw err;
      }
    }
    Object.assign(record, {
      codeDir,
      CodeSha256: sha.toString('base64'),
      CodeSize: zip.length,
      LastModified: lastModified(),
      RevisionId: randomUUID(),
    });
    this.save(record);
  }

  /** Unpacks the (checked) zip into a staging folder, prepares it, then moves it to codeDir in one step. */
  private async unpack(zip: Buffer, codeDir: string, functionName: string): Promise<void> {
    const zipFile = `${codeDir}.zip`;
    fs.mkdirSync(path.dirname(codeDir), { recursive: true });
    fs.writeFileSync(zipFile, zip);
    const staging = `${codeDir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      await extractZip(zipFile, staging);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw invalidParameter(`Could not unzip the uploaded file: ${(err as Error).message}`);
    } finally {
      fs.rmSync(zipFile, { force: true });
    }
    try {
      this.prepareCode(staging, functionName);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    fs.renameSync(staging, codeDir);
  }

  private save(record: FunctionRecord): void {
    this.functions.set(record.FunctionName, record);
    const dir = path.join(this.stateDir, 'functions', record.FunctionName);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'function.json'), `${JSON.stringify(record, null, 2)}\n`);
  }
}

/** What Lambda answers an Invoke while the function is Pending. */
function notReady(state: string) {
  return conflict(
    `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
  );
}

/** What Lambda answers an operation on the function (PublishVersion, an update) while it is Pending: names the resource. */
function resourceNotReady(arn: string, state: string) {
  return conflict(
    `The operation cannot be performed at this time. The resource ${arn} is currently in the following state: '${state}'. StateReasonCode: 'Creating'`,
  );
}

/** The state fields of FunctionConfiguration, with Lambda's reasons while creating or updating. */
function stateFields(status: FunctionStatus): Record<string, unknown> {
  return {
    State: status.State,
    ...(status.State === 'Pending' && { StateReason: BEING_CREATED, StateReasonCode: 'Creating' }),
    ...(status.LastUpdateStatus && { LastUpdateStatus: status.LastUpdateStatus }),
    ...(status.LastUpdateStatus === 'InProgress' && {
      LastUpdateStatusReason: BEING_CREATED,
      LastUpdateStatusReasonCode: 'Creating',
    }),
  };
}

/** FunctionConfiguration as the Lambda API returns it; `status` is $LATEST's (versions are Active and Successful). */
export function functionConfiguration(
  record: FunctionRecord,
  version = '$LATEST',
  status: FunctionStatus = SETTLED,
): Record<string, unknown> {
  const { codeDir: _codeDir, PublishedVersions: _versions, ReservedConcurrentExecutions: _reserved, ...aws } = record;
  return {
    ...aws,
    FunctionArn: version === '$LATEST' ? record.FunctionArn : `${record.FunctionArn}:${version}`,
    Version: version,
    TracingConfig: { Mode: 'PassThrough' },
    ...stateFields(status),
    PackageType: 'Zip',
    EphemeralStorage: record.EphemeralStorage,
  };
}
