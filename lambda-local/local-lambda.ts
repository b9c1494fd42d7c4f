/** Wires the local Lambda service together; used by `npm run lambda-local`, the demo and the tests. */

import path from 'node:path';
import { FunctionRegistry } from './function-registry';
import { LocalLambdaHttpApi } from './http-api';
import { DEFAULT_SERVICE_OPTIONS, LambdaService, type ServiceOptions } from './lambda-service';
import { MetricsRecorder } from './metrics';
import { chooseRuntime } from './runtime-command';
import { runtimeNodeChooser } from './runtime-node-choice';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

export interface LocalLambdaOptions extends Partial<Omit<ServiceOptions, 'runtime' | 'logDir'>> {
  stateDir: string;
  port?: number;
  runtime?: 'auto' | 'aws' | 'builtin';
  /** Run each function on its runtime's own Node (npm node-linux-*, installed on first use) instead of the host's. */
  runtimeNode?: boolean;
  /** Where the one-time notes go (installing a runtime's Node, or falling back to the host's). */
  log?: (line: string) => void;
}

export interface LocalLambda {
  endpoint: string;
  port: number;
  runtimeName: string;
  /** Which Node each runtime's environments ran (e.g. nodejs22.x -> v22.23.5), as far as any was started. */
  nodeVersions: Map<string, string>;
  registry: FunctionRegistry;
  service: LambdaService;
  metrics: MetricsRecorder;
  close(): Promise<void>;
}

export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const region = options.region ?? LOCAL_LAMBDA_DEFAULTS.region;
  const registry = new FunctionRegistry(options.stateDir, region);
  const metrics = new MetricsRecorder();
  const runtime = chooseRuntime(options.runtime);
  const nodeVersions = new Map<string, string>();
  const service = new LambdaService(registry, metrics, {
    ...DEFAULT_SERVICE_OPTIONS,
    narrate: () => {},
    ...options,
    region,
    runtime,
    nodeFor: options.runtimeNode ? runtimeNodeChooser(runtime, nodeVersions, options.log ?? console.log) : undefined,
    logDir: path.join(options.stateDir, 'logs'),
  });
  const api = new LocalLambdaHttpApi(registry, service, metrics);
  const endpoint = await api.listen(options.port ?? LOCAL_LAMBDA_DEFAULTS.port);
  return {
    endpoint,
    port: api.address().port,
    runtimeName: runtime.name,
    nodeVersions,
    registry,
    service,
    metrics,
    close: async () => {
      await service.shutdown();
      await api.close();
    },
  };
}
