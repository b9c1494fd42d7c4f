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

/** For each version no longer current or ramping: how to retire it, now if drained, else once its orders end. */
export function retirementAdvice(rows: VersionRow[], deploymentName: string): string[] {
  const lines: string[] = [];
  for (const row of rows.filter((r) => r.status !== 'CURRENT' && r.status !== 'RAMPING')) {
    const when =
      row.openOrders === 0
        ? 'drained: retire it with'
        : `${row.openOrders} order(s) still open: once they end, retire it with`;
    lines.push(`${row.buildId}: ${when}`);
    lines.push(
      `  temporal worker deployment delete-version --deployment-name ${deploymentName} --build-id ${row.buildId}`,
    );
    const arn = row.functionArn ? splitFunctionArn(row.functionArn) : undefined;
    if (arn?.qualifier && /^\d+$/.test(arn.qualifier)) {
      lines.push(`  aws lambda delete-function --function-name ${arn.functionName} --qualifier ${arn.qualifier}`);
    }
  }
  return lines;
}
