/** "Ship the next build" and the version table: build id, status, open orders, the Lambda version registered. */

import type { RedeployView } from '../console-types';
import { postControl } from './controls';
import { byId, el } from './dom';

let view: RedeployView | undefined;

/** The Lambda version number at the end of a qualified ARN (`…:function:shopflow-worker:2` -> `2`). */
function lambdaVersion(arn: string | undefined): string {
  if (!arn) return 'none registered';
  // An unqualified ARN is registered too: it runs whatever $LATEST is, which '-' would hide.
  return arn.split(':')[7] ?? '$LATEST';
}

export function renderVersions(redeploy: RedeployView): void {
  view = redeploy;
  const button = byId<HTMLButtonElement>('ship-next');
  button.textContent = redeploy.nextBuildId
    ? `Ship the next build (${redeploy.currentBuildId} → ${redeploy.nextBuildId})`
    : 'Ship the next build';
  button.disabled = Boolean(redeploy.disabledReason);
  button.title = redeploy.disabledReason ?? 'build, guard, publish a Lambda version, register it, make it current';
  byId('ship-reason').textContent = redeploy.disabledReason ?? '';
  const took = redeploy.seconds !== undefined ? ` in ${redeploy.seconds.toFixed(1)} s` : '';
  const state = byId('redeploy-state');
  state.dataset.state = redeploy.state;
  state.textContent =
    redeploy.state === 'idle' ? '' : `${redeploy.state}${took}${redeploy.by ? ` (started by ${redeploy.by})` : ''}`;
  const lines = byId('redeploy-lines');
  lines.textContent = [...redeploy.lines, ...(redeploy.error ? [`✗ ${redeploy.error}`] : [])].join('\n');
  lines.scrollTop = lines.scrollHeight; // the newest line in view
  byId('versions')
    .querySelector('tbody')!
    .replaceChildren(
      ...redeploy.versions.map((v) =>
        el(
          'tr',
          { 'data-build-id': v.buildId, 'data-status': v.status },
          el('td', {}, v.buildId),
          el(
            'td',
            { class: `version-${v.status}` },
            v.status,
            // The server's drainage check lags the routing: said apart, never as a second status.
            v.drainage &&
              v.drainage !== v.status &&
              v.status !== 'CURRENT' &&
              el('div', { class: 'muted' }, `last drainage check: ${v.drainage}`),
          ),
          el('td', {}, v.openOrders),
          el('td', { title: v.functionArn ?? 'no Lambda registered' }, lambdaVersion(v.functionArn)),
        ),
      ),
    );
}

export function setUpVersionsPanel(): void {
  byId('ship-next').addEventListener('click', () => {
    if (!view?.currentBuildId) return;
    void postControl('/api/redeploy', { from: view.currentBuildId });
  });
}
