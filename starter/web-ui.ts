/** Links into the Temporal Web UI for a workflow: the local dev server's UI or Temporal Cloud's. */

export function webUiBase(address: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHOPFLOW_WEB_UI) return env.SHOPFLOW_WEB_UI.replace(/\/$/, '');
  if (/tmprl\.cloud|api\.temporal\.io/.test(address)) return 'https://cloud.temporal.io';
  const host = address.split(':')[0];
  return `http://${host}:${env.SHOPFLOW_DEV_SERVER_UI_PORT ?? 8233}`;
}

export function workflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
