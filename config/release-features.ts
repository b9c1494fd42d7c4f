/**
 * Release features: code changes a Lambda package carries, chosen when it is built and written into its bundle by
 * esbuild `define`, never read at run time, so a zip built without one can never switch it on. The demo's act 5
 * ships v3 with one, so the audience sees v3's new code next to the v2 orders still running v2's.
 */

import { ConfigError } from './config-error';

export const RELEASE_FEATURES = {
  'tracking-link': 'the customer notification carries a link to track the parcel',
} as const;

export type ReleaseFeature = keyof typeof RELEASE_FEATURES;

/** What the demo's next build (act 5, the console's "Ship the next build") carries besides the current one. */
export const NEXT_RELEASE_FEATURES: readonly ReleaseFeature[] = ['tracking-link'];

/** The build-time global esbuild replaces with the feature list; undefined outside a package (tests, local worker). */
export const RELEASE_FEATURES_GLOBAL = 'SHOPFLOW_RELEASE_FEATURES';
declare const SHOPFLOW_RELEASE_FEATURES: string | undefined;

function isReleaseFeature(name: string): name is ReleaseFeature {
  return Object.hasOwn(RELEASE_FEATURES, name);
}

/** The features this code was built with (the package's literal list; none when not built into a package). */
export function builtInReleaseFeatures(): ReleaseFeature[] {
  const list = typeof SHOPFLOW_RELEASE_FEATURES === 'string' ? SHOPFLOW_RELEASE_FEATURES : '';
  return list.split(',').filter(isReleaseFeature);
}

export function hasReleaseFeature(feature: ReleaseFeature): boolean {
  return builtInReleaseFeatures().includes(feature);
}

/**
 * A build's features from SHOPFLOW_RELEASE_FEATURES (comma-separated), read by the build only: setting it on a
 * running function changes nothing.
 */
export function releaseFeaturesFromEnv(env: NodeJS.ProcessEnv = process.env): ReleaseFeature[] {
  const names = (env[RELEASE_FEATURES_GLOBAL] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !isReleaseFeature(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${RELEASE_FEATURES_GLOBAL} names unknown feature(s) ${unknown.join(', ')}: ` +
        `use a comma-separated list of ${Object.keys(RELEASE_FEATURES).join(', ')}, or leave it unset`,
    );
  }
  return [...new Set(names)] as ReleaseFeature[];
}
