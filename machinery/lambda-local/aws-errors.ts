/** Errors in the shapes AWS Lambda sends, so real AWS SDK clients (JS v3, Go v2) parse them as the real thing. */

export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      Type: this.status >= 500 ? 'Service' : 'User',
      Message: this.message,
      message: this.message,
      ...this.extra,
    };
  }
}

export const notFound = (arn: string) =>
  new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
export const invalidParameter = (message: string) => new LambdaApiError(400, 'InvalidParameterValueException', message);
/** A field outside the API model's constraints: AWS's own wording, e.g. `1 validation error detected: Value '100' ...`. */
export const validationError = (message: string) => new LambdaApiError(400, 'ValidationException', message);
export const invalidRequestContent = (message: string) =>
  new LambdaApiError(400, 'InvalidRequestContentException', message);
export const conflict = (message: string) => new LambdaApiError(409, 'ResourceConflictException', message);
export const tooLarge = (message: string) => new LambdaApiError(413, 'RequestTooLargeException', message);
export const throttled = () =>
  new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', {
    Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });
export const unknownOperation = (method: string, path: string) =>
  new LambdaApiError(404, 'UnknownOperationException', `The local Lambda service does not implement ${method} ${path}`);
export const accessDenied = (message: string) => new LambdaApiError(403, 'AccessDeniedException', message);
export const unsupportedMediaType = (message: string) =>
  new LambdaApiError(415, 'UnsupportedMediaTypeException', message);
/** What Lambda answers when the whole request is over its size limit (not only an Invoke payload). */
export const entityTooLarge = (message: string) => new LambdaApiError(413, 'RequestEntityTooLargeException', message);
