/**
 * Published versions of local functions, as Lambda keeps them: each numbered version freezes the code and the
 * configuration $LATEST had when it was published, so UpdateFunctionCode never changes what a version runs.
 * Snapshots live next to the function (functions/NAME/versions/N.json); numbers are never reused.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { invalidParameter, LambdaApiError } from './aws-errors';
import type { FunctionRecord } from './function-registry';

/** What a version freezes: everything that decides what runs and how, plus its own description. */
export interface VersionSnapshot {
  Version: string;
  Description: string;
  CodeSha256: string;
  CodeSize: number;
  Runtime: string;
  Role: string;
  Handler: string;
  Timeout: number;
  MemorySize: number;
  /** Absent in versions published before it was kept: they run with $LATEST's. */
  EphemeralStorage?: { Size: number };
  Environment: { Variables: Record<string, string> };
  Architectures: LambdaArchitecture[];
  LastModified: string;
  RevisionId: string;
  codeDir: string;
}

/** The fields that make two publishes the same version (Lambda publishes nothing new when none changed). */
const RUN_FIELDS = [
  'CodeSha256',
  'Runtime',
  'Role',
  'Handler',
  'Timeout',
  'MemorySize',
  'EphemeralStorage',
  'Environment',
  'Architectures',
] as const;

export const LATEST = '$LATEST';

export class FunctionVersions {
  constructor(private readonly stateDir: string) {}

  private dir(name: string): string {
    return path.join(this.stateDir, 'functions', name, 'versions');
  }

  find(name: string, version: string): VersionSnapshot | undefined {
    const file = path.join(this.dir(name), `${version}.json`);
    if (!/^\d+$/.test(version) || !fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as VersionSnapshot;
  }

  /** Published versions, oldest first. */
  list(name: string): VersionSnapshot[] {
    if (!fs.existsSync(this.dir(name))) return [];
    return fs
      .readdirSync(this.dir(name))
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => this.find(name, path.basename(f, '.json'))!)
      .sort((a, b) => Number(a.Version) - Number(b.Version));
  }

  /**
   * Freezes $LATEST as the next version. When code and configuration are unchanged since the newest version, that
   * version is returned instead, as Lambda does. `expectedCodeSha256` guards against publishing someone else's upload.
   */
  publish(
    record: FunctionRecord,
    options: { description?: string; expectedCodeSha256?: string } = {},
  ): VersionSnapshot {
    if (options.expectedCodeSha256 && options.expectedCodeSha256 !== record.CodeSha256) {
      throw new LambdaApiError(
        412,
        'PreconditionFailedException',
        `CodeSHA256 (${options.expectedCodeSha256}) is different from current CodeSHA256 in $LATEST ` +
          `(${record.CodeSha256}). ` +
          'Please try again with the CodeSHA256 in $LATEST.',
      );
    }
    if (options.description !== undefined && options.description.length > 256) {
      throw invalidParameter('Description must be at most 256 characters');
    }
    const newest = this.list(record.FunctionName).at(-1);
    if (newest && RUN_FIELDS.every((f) => JSON.stringify(newest[f]) === JSON.stringify(record[f]))) return newest;
    const counterFile = path.join(this.dir(record.FunctionName), 'last-version');
    const last = fs.existsSync(counterFile) ? Number(fs.readFileSync(counterFile, 'utf8')) : 0;
    const snapshot: VersionSnapshot = {
      Version: String(last + 1),
      Description: options.description ?? record.Description,
      CodeSha256: record.CodeSha256,
      CodeSize: record.CodeSize,
      Runtime: record.Runtime,
      Role: record.Role,
      Handler: record.Handler,
      Timeout: record.Timeout,
      MemorySize: record.MemorySize,
      EphemeralStorage: { ...record.EphemeralStorage },
      Environment: structuredClone(record.Environment),
      Architectures: [...record.Architectures],
      LastModified: new Date().toISOString().replace('Z', '+0000'),
      RevisionId: crypto.randomUUID(),
      codeDir: record.codeDir,
    };
    fs.mkdirSync(this.dir(record.FunctionName), { recursive: true });
    fs.writeFileSync(
      path.join(this.dir(record.FunctionName), `${snapshot.Version}.json`),
      `${JSON.stringify(snapshot, null, 2)}\n`,
    );
    fs.writeFileSync(counterFile, snapshot.Version);
    return snapshot;
  }

  remove(name: string, version: string): void {
    fs.rmSync(path.join(this.dir(name), `${version}.json`), { force: true });
  }
}

/** The record an invocation of `version` runs: $LATEST itself, or the function with the version's frozen settings. */
export function runnableRecord(record: FunctionRecord, snapshot: VersionSnapshot | undefined): FunctionRecord {
  if (!snapshot) return record;
  const { Version: _version, ...frozen } = snapshot;
  return { ...record, ...frozen };
}
