/** Links into the Temporal Web UI for a workflow: the local dev server's UI or Temporal Cloud's. */

import { isTemporalCloudAddress } from '../config/connection';
import { devServerPorts, webUiOverride } from '../config/environment';

export function webUiBase(address: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = webUiOverride(env);
  if (override) return override;
  if (isTemporalCloudAddress(address)) return 'https://cloud.temporal.io';
  const host = address.split(':')[0];
  return `http://${host}:${devServerPorts(env).ui}`;
}

export function workflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
