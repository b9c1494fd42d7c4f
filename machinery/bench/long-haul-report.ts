/** The long-haul section's rows in the bench table: the Lambda alone, beside the same haul on an always-on worker. */

import { ACTIVITY_HEARTBEAT_INTERVAL_MS } from '../../config/settings';
import type { LongHaulResult } from './long-haul';
import type { Row } from './report';

/** The target: a handover repeats at most the work since the last heartbeat, one interval. */
export const LONG_HAUL_REPEATED_WORK_TARGET_MS = ACTIVITY_HEARTBEAT_INTERVAL_MS;

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const orDash = (ms: number | undefined) => (ms === undefined ? '-' : String(ms));

export function longHaulRows(h: LongHaulResult, verdict: (ok: boolean) => string): Row[] {
  const { lambda, local } = h;
  const l = lambda.figures;
  return [
    {
      measure: `long haul: ${seconds(h.haulMs)} s on a ${h.functionTimeoutS} s function, Lambda alone: order completed`,
      shopflow: `${lambda.completed && lambda.lambdaAlone ? 'yes' : 'no'} (${seconds(lambda.orderWallMs)} s)`,
      baseline: `local worker: ${local.completed ? 'yes' : 'no'} (${seconds(local.orderWallMs)} s)`,
      target: 'completed on the Lambda alone',
      verdict: verdict(lambda.completed && lambda.lambdaAlone),
    },
    {
      measure: '  invocations (ran chunks) / chunks',
      shopflow: `${lambda.invocations} (${l.workers}) / ${l.chunks}`,
      baseline: `local worker: 1 / ${local.figures.chunks}`,
      target: '',
      verdict: '',
    },
    {
      measure: '  repeated work per handover, max (ms)',
      shopflow: String(l.maxRepeatedMs),
      baseline: `local worker: ${local.figures.maxRepeatedMs}`,
      target: `<= ${LONG_HAUL_REPEATED_WORK_TARGET_MS} ms (1 heartbeat)`,
      verdict: verdict(l.maxRepeatedMs <= LONG_HAUL_REPEATED_WORK_TARGET_MS),
    },
    {
      measure: '  gap per handover: chunk done -> next started, median / max (ms)',
      shopflow: `${l.medianGapMs} / ${l.maxGapMs}`,
      baseline: `local worker: ${local.figures.medianGapMs} / ${local.figures.maxGapMs}`,
      target: '',
      verdict: '',
    },
    {
      measure: '    to a new invocation: from chunk done / from invocation end (ms)',
      shopflow:
        `${orDash(l.medianGapNewWorkerMs)} / ${orDash(l.medianGapFromInvocationEndMs)} median, ` +
        `${orDash(l.maxGapNewWorkerMs)} / ${orDash(l.maxGapFromInvocationEndMs)} max`,
      baseline: '',
      target: '',
      verdict: '',
    },
    {
      measure: '  haul wall time: first chunk started -> last done (s)',
      shopflow: seconds(l.haulWallMs),
      baseline: `local worker: ${seconds(local.figures.haulWallMs)}`,
      target: '',
      verdict: '',
    },
    {
      measure: `  billed GB-s at ${h.memoryMb} MB`,
      shopflow: String(lambda.billedGBSeconds),
      baseline: `the work alone: ${lambda.workGBSeconds}`,
      target: '',
      verdict: `${lambda.billedToWork} x the work`,
    },
  ];
}
