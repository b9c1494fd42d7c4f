/**
 * The label a published Lambda version carries in its description: its build id and the sha256 of its workflow
 * bundle. It is how a later redeploy learns, from the ARN registered for a build id, which workflow code that build
 * id runs (GetFunction on the qualified ARN), with nothing stored anywhere else.
 */

import type { BuildInfo } from '../../lambda/build-info';

const LABEL = /^ShopFlow (\S+)\/(\S+); workflow sha256:([0-9a-f]{64}); other code sha256:([0-9a-f]{64})$/;

export interface VersionLabel {
  deploymentName: string;
  buildId: string;
  workflowBundleSha256: string;
  otherCodeSha256: string;
}

/** At most 256 characters, Lambda's limit for a version description. */
export function versionDescription(info: Pick<BuildInfo, keyof VersionLabel>): string {
  return (
    `ShopFlow ${info.deploymentName}/${info.buildId}; workflow sha256:${info.workflowBundleSha256}; ` +
    `other code sha256:${info.otherCodeSha256}`
  );
}

/** The label in a version's description, or undefined when it has none (published some other way, or $LATEST). */
export function parseVersionDescription(description: string | undefined): VersionLabel | undefined {
  const match = LABEL.exec(description ?? '');
  return match
    ? { deploymentName: match[1], buildId: match[2], workflowBundleSha256: match[3], otherCodeSha256: match[4] }
    : undefined;
}

/** The next build id to suggest: v2 -> v3, 2026-11-22.1 -> 2026-11-22.2, blue -> blue-2. */
export function nextBuildId(buildId: string): string {
  const match = /^(.*?)(\d+)$/.exec(buildId);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${buildId}-2`;
}

/** A Lambda ARN's parts: the function's own ARN and the qualifier (a version number, $LATEST or an alias), if any. */
export function splitFunctionArn(arn: string): { functionArn: string; functionName: string; qualifier?: string } {
  const parts = arn.split(':');
  const functionArn = parts.slice(0, 7).join(':');
  return { functionArn, functionName: parts[6] ?? '', qualifier: parts[7] };
}
