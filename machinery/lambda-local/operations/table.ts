/** Every Lambda API operation the local service answers, each with its own handler (routes.ts says which is which). */

import {
  createFunction,
  deleteFunction,
  publishVersion,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './change-functions';
import { deleteFunctionConcurrency, getFunctionConcurrency, putFunctionConcurrency } from './concurrency';
import { invoke } from './invoke';
import type { LambdaOperationHandler } from './operation';
import { getFunction, getFunctionConfiguration, listFunctions, listVersionsByFunction } from './read-functions';
import type { LambdaOperation } from './routes';

// A Record over the operation names: one routes.ts can match but no handler answers does not compile.
export const LAMBDA_OPERATIONS: Record<LambdaOperation, LambdaOperationHandler> = {
  CreateFunction: createFunction,
  ListFunctions: listFunctions,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  DeleteFunction: deleteFunction,
  Invoke: invoke,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  PutFunctionConcurrency: putFunctionConcurrency,
  GetFunctionConcurrency: getFunctionConcurrency,
  DeleteFunctionConcurrency: deleteFunctionConcurrency,
  PublishVersion: publishVersion,
  ListVersionsByFunction: listVersionsByFunction,
};

/** The IAM action of a Lambda API operation (Invoke is lambda:InvokeFunction; the rest keep their names). */
export function iamAction(operation: LambdaOperation): string {
  return `lambda:${operation === 'Invoke' ? 'InvokeFunction' : operation}`;
}
