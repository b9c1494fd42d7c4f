/**
 * The function runs with the temporal.toml packed into its zip, under the profile its environment names
 * (TEMPORAL_PROFILE), unless TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE in that environment override it. A profile that
 * still holds the template's placeholders (`<namespace>.<account-id>`) cannot connect: the registration's
 * validation invocation fails, far from the cause. So a deploy refuses it before anything is uploaded.
 */

import { loadClientConfig } from '@temporalio/envconfig';
import { readZipEntry } from '../plumbing/zip';

export class PlaceholderProfileError extends Error {}

const PLACEHOLDER = /[<>]/;

export async function checkPackagedProfile(zipFile: string, functionEnv: Record<string, string>): Promise<void> {
  if (functionEnv.TEMPORAL_ADDRESS && functionEnv.TEMPORAL_NAMESPACE) return; // the environment decides
  const toml = await readZipEntry(zipFile, 'temporal.toml');
  if (!toml) return;
  const name = functionEnv.TEMPORAL_PROFILE || 'default';
  const config = loadClientConfig({ configSource: { data: toml }, overrideEnvVars: {} });
  const profile = config.profiles?.[name];
  const address = functionEnv.TEMPORAL_ADDRESS ?? profile?.address ?? '';
  const namespace = functionEnv.TEMPORAL_NAMESPACE ?? profile?.namespace ?? '';
  if (PLACEHOLDER.test(address) || PLACEHOLDER.test(namespace)) {
    throw new PlaceholderProfileError(
      `the function would connect with profile "${name}" of the temporal.toml in ${zipFile}, which still has ` +
        `placeholders (address ${address}, namespace ${namespace}): edit [profile.${name}] in temporal.toml and ` +
        'rebuild (npm run build:lambda), or give the function --env TEMPORAL_ADDRESS=... --env TEMPORAL_NAMESPACE=...',
    );
  }
}
