/** What the local service answers an HTTP request with: a JSON body, or raw bytes (an Invoke's payload, STS's XML). */
export interface Reply {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}
