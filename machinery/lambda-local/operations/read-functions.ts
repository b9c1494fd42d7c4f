/** The operations that show functions: ListFunctions, GetFunction, GetFunctionConfiguration, ListVersionsByFunction. */

import { invalidParameter } from '../aws-errors';
import { functionConfiguration } from '../function-registry';
import { LATEST, runnableRecord } from '../function-versions';
import { configurationOf, versionOf } from './function-views';
import type { LambdaOperationHandler } from './operation';

export const listFunctions: LambdaOperationHandler = {
  // Not about one function: IAM decides on every resource.
  resource: () => '*',
  handle: (_request, { registry }) => ({
    status: 200,
    body: {
      Functions: registry.list().map((r) => functionConfiguration(r, LATEST, registry.statusOf(r))),
    },
  }),
};

export const getFunction: LambdaOperationHandler = {
  handle: ({ nameWithQualifier }, { registry }) => {
    const { record, version } = versionOf(registry, nameWithQualifier);
    return {
      status: 200,
      body: {
        Configuration: configurationOf(registry, record, version),
        Code: { RepositoryType: 'S3', Location: `file://${record.codeDir}` },
        ...(record.ReservedConcurrentExecutions !== undefined && {
          Concurrency: { ReservedConcurrentExecutions: record.ReservedConcurrentExecutions },
        }),
      },
    };
  },
};

export const getFunctionConfiguration: LambdaOperationHandler = {
  handle: ({ nameWithQualifier }, { registry }) => {
    const { record, version } = versionOf(registry, nameWithQualifier);
    return { status: 200, body: configurationOf(registry, record, version) };
  },
};

/** $LATEST first, then the published versions, paged with Marker and MaxItems. */
export const listVersionsByFunction: LambdaOperationHandler = {
  handle: ({ name, query }, { registry }) => {
    const { record } = registry.resolve(name);
    const all = [
      configurationOf(registry, record, LATEST),
      ...registry.versions
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
    return {
      status: 200,
      body: { Versions: page, ...(start + maxItems < all.length && { NextMarker: String(start + maxItems) }) },
    };
  },
};
