/**
 * The operations that change functions: CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration,
 * PublishVersion, DeleteFunction.
 */

import { invalidParameter } from '../aws-errors';
import type { FunctionSettings } from '../function-registry';
import { LATEST } from '../function-versions';
import { parseJsonObject, requestTooLarge } from '../request-body';
import { LOCAL_LAMBDA_DEFAULTS } from '../settings';
import { configurationOf, versionConfigurationOf } from './function-views';
import { functionArnOf, type LambdaOperationHandler } from './operation';

export const createFunction: LambdaOperationHandler = {
  // The path names no function yet: IAM decides on the one the body names.
  resource: ({ body, qualifier }) =>
    functionArnOf(
      String(parseJsonObject<{ FunctionName?: unknown }>(body, 'request body').FunctionName ?? ''),
      qualifier,
    ),
  handle: async ({ body }, { registry }) => {
    const input = parseJsonObject<FunctionSettings & { Code?: { ZipFile?: string }; Publish?: boolean }>(
      body,
      'request body',
    );
    if (!input.Code?.ZipFile)
      throw invalidParameter(
        'Code.ZipFile is required (base64 of the zip); S3 and image code are not supported locally',
      );
    let record = await registry.create(input, Buffer.from(input.Code.ZipFile, 'base64'));
    let version = LATEST;
    if (input.Publish) ({ record, version } = registry.publishVersion(record.FunctionName));
    return { status: 201, body: versionConfigurationOf(registry, record, version) };
  },
};

export const updateFunctionCode: LambdaOperationHandler = {
  handle: async ({ name, body }, { registry }) => {
    const input = parseJsonObject<{ ZipFile?: string; Publish?: boolean; DryRun?: boolean }>(body, 'request body');
    if (!input.ZipFile)
      throw invalidParameter('ZipFile is required (base64 of the zip); S3 and image code are not supported locally');
    const zip = Buffer.from(input.ZipFile, 'base64');
    if (zip.length > LOCAL_LAMBDA_DEFAULTS.maxZipBytes) throw requestTooLarge('UpdateFunctionCode');
    if (input.DryRun) {
      const { record } = registry.resolve(name);
      registry.assertSettled(record);
      return { status: 200, body: configurationOf(registry, record, LATEST) };
    }
    let record = await registry.updateCode(name, zip);
    let version = LATEST;
    if (input.Publish) ({ record, version } = registry.publishVersion(name));
    return { status: 200, body: versionConfigurationOf(registry, record, version) };
  },
};

export const updateFunctionConfiguration: LambdaOperationHandler = {
  handle: ({ name, body }, { registry }) => ({
    status: 200,
    body: configurationOf(
      registry,
      registry.updateConfiguration(name, parseJsonObject<FunctionSettings>(body, 'request body')),
      LATEST,
    ),
  }),
};

export const publishVersion: LambdaOperationHandler = {
  handle: ({ name, body }, { registry }) => {
    const input = parseJsonObject<{ Description?: string; CodeSha256?: string }>(body, 'request body');
    registry.assertSettled(registry.resolve(name).record);
    const { record, version } = registry.publishVersion(name, {
      description: input.Description,
      expectedCodeSha256: input.CodeSha256,
    });
    return { status: 201, body: versionConfigurationOf(registry, record, version) };
  },
};

export const deleteFunction: LambdaOperationHandler = {
  handle: ({ nameWithQualifier }, { registry }) => {
    registry.delete(nameWithQualifier);
    return { status: 204 };
  },
};
