/** The local service's own reports (not AWS's), served under /local/ for the console and the tests. */

import type { FunctionRegistry } from './function-registry';
import type { LambdaService } from './lambda-service';
import type { LocalInvocationsReport, MetricsRecorder } from './metrics';

/** Every invocation of every function, finished and running, for the console's timeline and wake-up ledger. */
export function invocationsReport(registry: FunctionRegistry, metrics: MetricsRecorder): LocalInvocationsReport[] {
  return registry.list().map((record) => ({
    functionName: record.FunctionName,
    memoryMb: record.MemorySize,
    finished: metrics.invocationsOf(record.FunctionName).map((i) => ({
      requestId: i.requestId,
      startedAt: i.startedAt,
      endedAt: i.endedAt,
      memoryMb: i.memoryMb,
      ...(i.environmentId && { environmentId: i.environmentId }),
      ...(i.initDurationMs !== undefined && { initDurationMs: i.initDurationMs }),
      ...(i.errorType && { errorType: i.errorType }),
      ...(i.response && { response: i.response }),
    })),
    running: metrics.runningOf(record.FunctionName).map((r) => ({
      requestId: r.requestId,
      startedAt: r.startedAt,
      ...(r.environmentId && { environmentId: r.environmentId }),
    })),
  }));
}

/** Each function's execution environments (their processes, frozen or not) and its queued events. */
export function environmentsReport(registry: FunctionRegistry, service: LambdaService): unknown {
  return registry.list().map((record) => ({
    functionName: record.FunctionName,
    concurrencyLimit: service.concurrencyLimit(record),
    queuedEvents: service.queued(record.FunctionName),
    environments: service.environmentsOf(record.FunctionName).map((e) => ({
      id: e.id,
      pid: e.pid,
      state: e.state,
      frozen: e.isFrozen,
      invocations: e.invocations,
      requestId: e.currentRequestId,
    })),
  }));
}
