/**
 * Release features are chosen at build time: the notification module bundled by esbuild with the package's define
 * carries the tracking link or not, whatever the environment says at run time; a bad feature name is refused.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ConfigError } from '../../config/config-error';
import { releaseFeaturesFromEnv, type ReleaseFeature } from '../../config/release-features';
import { TRACKING_LINE, notificationMessage } from '../../activities/simulated/notification-message';
import { releaseFeatureDefine } from '../../machinery/deployment/lambda-package';
import { PROJECT_ROOT } from '../../machinery/plumbing/project-paths';
import { sampleOrder } from '../../client/sample-order';

const order = sampleOrder('ord-rf', 'happy');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-features-'));

/** The notification module as a package built with these features would run it. */
async function builtMessage(features: ReleaseFeature[], runtimeEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const outfile = path.join(dir, `message-${features.join('_') || 'none'}-${Object.keys(runtimeEnv).length}.js`);
  await build({
    entryPoints: [path.join(PROJECT_ROOT, 'activities', 'simulated', 'notification-message.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
    define: releaseFeatureDefine(features),
  });
  const saved = { ...process.env };
  Object.assign(process.env, runtimeEnv);
  try {
    const built = require(outfile) as typeof import('../../activities/simulated/notification-message');
    return built.notificationMessage(order);
  } finally {
    process.env = saved;
  }
}

test('a build with tracking-link sends the tracking link; a build without it does not', async () => {
  const v3 = await builtMessage(['tracking-link']);
  const v2 = await builtMessage([]);
  expect(v3).toContain(`${TRACKING_LINE} https://shopflow.example/track/ord-rf`);
  expect(v2).not.toContain(TRACKING_LINE);
  expect(v3.startsWith(v2)).toBe(true);
});

test('the environment at run time cannot switch a feature on: it is not in the build', async () => {
  const built = await builtMessage([], { SHOPFLOW_RELEASE_FEATURES: 'tracking-link' });
  expect(built).not.toContain(TRACKING_LINE);
});

test('code not built into a package (tests, the local worker) has no release features', () => {
  expect(notificationMessage(order)).toMatch(/^Order ord-rf confirmed: \d+ item\(s\), \$\d+\.\d\d\.$/);
});

test('SHOPFLOW_RELEASE_FEATURES at build time: known names pass, an unknown one is refused with the choices', () => {
  expect(releaseFeaturesFromEnv({})).toEqual([]);
  expect(releaseFeaturesFromEnv({ SHOPFLOW_RELEASE_FEATURES: ' tracking-link ,tracking-link' })).toEqual([
    'tracking-link',
  ]);
  expect(() => releaseFeaturesFromEnv({ SHOPFLOW_RELEASE_FEATURES: 'tracking-link,dark-mode' })).toThrow(ConfigError);
  expect(() => releaseFeaturesFromEnv({ SHOPFLOW_RELEASE_FEATURES: 'dark-mode' })).toThrow(
    'SHOPFLOW_RELEASE_FEATURES names unknown feature(s) dark-mode: use a comma-separated list of tracking-link',
  );
});
