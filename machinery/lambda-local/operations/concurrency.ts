/** The reserved-concurrency operations: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency. */

import { parseJsonObject } from '../request-body';
import type { LambdaOperationHandler } from './operation';

export const putFunctionConcurrency: LambdaOperationHandler = {
  handle: ({ name, body }, { registry }) => {
    const input = parseJsonObject<{ ReservedConcurrentExecutions?: number }>(body, 'request body');
    registry.setReservedConcurrency(name, input.ReservedConcurrentExecutions);
    return { status: 200, body: { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions } };
  },
};

export const getFunctionConcurrency: LambdaOperationHandler = {
  handle: ({ name }, { registry }) => {
    const { record } = registry.resolve(name);
    return {
      status: 200,
      body:
        record.ReservedConcurrentExecutions === undefined
          ? {}
          : { ReservedConcurrentExecutions: record.ReservedConcurrentExecutions },
    };
  },
};

export const deleteFunctionConcurrency: LambdaOperationHandler = {
  handle: ({ name }, { registry }) => {
    registry.setReservedConcurrency(name, undefined);
    return { status: 204 };
  },
};
