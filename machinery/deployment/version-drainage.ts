/**
 * Which versions of a worker deployment still have orders open, read from the server alone (describe and
 * visibility, never a query, so nothing wakes a Lambda), and the commands that retire a version once it drained.
 */

import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { describeVersion, registeredTarget } from './lambda-registration';
import { splitFunctionArn } from './version-label';

export interface VersionRow {
  buildId: string;
  /** CURRENT, RAMPING, DRAINING, DRAINED, INACTIVE (the server's words). */
  status: string;
  /** The server's drainage check, when it has made one: DRAINING or DRAINED. */
  drainage?: string;
  rampPercent?: number;
  functionArn?: string;
  /** Orders of this build id still running, from visibility. */
  openOrders: number;
}

const enumName = (names: Record<number, string>, value: number | null | undefined, prefix: string) =>
  value ? (names[value] ?? String(value)).replace(prefix, '') : undefined;

/** Visibility's count of running workflows pinned to (or last run by) this version. */
async function openWorkflows(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  deploymentName: string,
  buildId: string,
) {
  const query = `TemporalWorkerDeploymentVersion = "${deploymentName}:${buildId}" AND ExecutionStatus = "Running"`;
  const { count } = await connection.workflowService.countWorkflowExecutions({ namespace, query });
  return Number(count ?? 0);
}

/**
 * The routing config is the authority on which version is current or ramping: a version's summary status lags
 * behind it (seen on the dev server: a version made current summarized as CREATED, later INACTIVE).
 */
function routedStatus(
  summarized: string,
  drainage: string | undefined,
  routed: { current: boolean; ramping: boolean },
): string {
  if (routed.current) return 'CURRENT';
  if (routed.ramping) return 'RAMPING';
  if (summarized === 'CURRENT' || summarized === 'RAMPING') return drainage ?? 'DRAINING';
  return summarized;
}

export async function versionTable(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  deploymentName: string,
): Promise<VersionRow[]> {
  const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
    namespace,
    deploymentName,
  });
  const routing = workerDeploymentInfo?.routingConfig;
  const rows: VersionRow[] = [];
  for (const summary of workerDeploymentInfo?.versionSummaries ?? []) {
    const buildId = summary.deploymentVersion?.buildId ?? '';
    const info = await describeVersion(connection, namespace, { deploymentName, buildId });
    const ramping = routing?.rampingDeploymentVersion?.buildId === buildId;
    const drainage = enumName(
      temporal.api.enums.v1.VersionDrainageStatus,
      summary.drainageInfo?.status,
      'VERSION_DRAINAGE_STATUS_',
    );
    const summarized =
      enumName(
        temporal.api.enums.v1.WorkerDeploymentVersionStatus,
        summary.status,
        'WORKER_DEPLOYMENT_VERSION_STATUS_',
      ) ?? 'UNKNOWN';
    rows.push({
      buildId,
      status: routedStatus(summarized, drainage, {
        current: routing?.currentDeploymentVersion?.buildId === buildId,
        ramping,
      }),
      drainage,
      ...(ramping && { rampPercent: routing?.rampingVersionPercentage ?? 0 }),
      functionArn: registeredTarget(info)?.functionArn,
      openOrders: await openWorkflows(connection, namespace, deploymentName, buildId),
    });
  }
  return rows.sort((a, b) => a.buildId.localeCompare(b.buildId, undefined, { numeric: true }));
}

export function formatVersionTable(rows: VersionRow[]): string[] {
  const header = ['build id', 'status', 'open orders', 'Lambda version'];
  const cells = rows.map((r) => [
    r.buildId,
    r.status +
      (r.rampPercent !== undefined ? ` ${r.rampPercent}%` : '') +
      (r.drainage && r.drainage !== r.status ? ` (${r.drainage})` : ''),
    String(r.openOrders),
    r.functionArn ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [header, ...cells].map((line) =>
    line
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

/** One read of the version table, and when it was taken. */
export interface VersionTableRead {
  at: number;
  rows: VersionRow[];
}

const drained = (row: VersionRow | undefined) =>
  row !== undefined && (row.status === 'DRAINED' || row.drainage === 'DRAINED') && row.openOrders === 0;

/**
 * For each version no longer current or ramping: whether it may be retired yet, and how. Only when the server says
 * DRAINED and visibility counts no open order on two reads at least one drainage refresh apart: visibility counts
 * lag, and an order pinned to the version but not yet counted would lose its code with the Lambda version.
 * `reads`: oldest first, the latest last.
 */
export function retirementAdvice(reads: VersionTableRead[], deploymentName: string, refreshS: number): string[] {
  const latest = reads.at(-1);
  if (!latest) return [];
  const lines: string[] = [];
  for (const row of latest.rows.filter((r) => r.status !== 'CURRENT' && r.status !== 'RAMPING')) {
    const confirmedBy = reads.find(
      (read) => read.at <= latest.at - refreshS * 1000 && drained(read.rows.find((r) => r.buildId === row.buildId)),
    );
    if (!drained(row)) {
      lines.push(
        `${row.buildId}: ${row.openOrders} order(s) still open (${row.drainage ?? row.status}): retire it once it ` +
          `is DRAINED with no open order on two reads ${refreshS} s apart`,
      );
      continue;
    }
    if (!confirmedBy) {
      lines.push(
        `${row.buildId}: DRAINED with no open order, on one read so far: read again in ${refreshS} s before ` +
          `retiring it (temporal worker deployment describe --name ${deploymentName}); visibility counts lag`,
      );
      continue;
    }
    const apart = Math.round((latest.at - confirmedBy.at) / 1000);
    lines.push(`${row.buildId}: drained (DRAINED, no open order, on two reads ${apart} s apart): retire it with`);
    lines.push(...retireCommands(row, deploymentName));
  }
  return lines;
}

function retireCommands(row: VersionRow, deploymentName: string): string[] {
  const commands = [
    `  temporal worker deployment delete-version --deployment-name ${deploymentName} --build-id ${row.buildId}`,
  ];
  const arn = row.functionArn ? splitFunctionArn(row.functionArn) : undefined;
  if (arn?.qualifier && /^\d+$/.test(arn.qualifier)) {
    commands.push(`  aws lambda delete-function --function-name ${arn.functionName} --qualifier ${arn.qualifier}`);
  }
  return commands;
}
