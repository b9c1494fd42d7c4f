/**
 * Where and how to reach Temporal: a profile of temporal.toml loaded with @temporalio/envconfig, overridden by
 * TEMPORAL_* variables. envconfig alone ignores a missing file and reads certificate paths lazily, so the problems
 * people actually hit (missing file, unknown profile, missing certificate, placeholder address, bad TOML) are
 * checked here first and reported with the fix.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  loadClientConfig,
  loadClientConfigProfile,
  toClientOptions,
  type ClientConfigProfile,
  type ConfigDataSource,
} from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from './config-error';

export interface TemporalConnectionConfig {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  profile: string;
  /** The config file used, if any. */
  configFile?: string;
  /** A one-line description that is safe to print: it never contains a key. */
  summary: string;
}

const DEFAULT_ADDRESS = '127.0.0.1:7233';

/** TEMPORAL_CONFIG_FILE, then ./temporal.toml, then $LAMBDA_TASK_ROOT/temporal.toml, else environment only. */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const explicit = env.TEMPORAL_CONFIG_FILE?.trim();
  if (explicit) {
    if (!fs.existsSync(explicit)) {
      throw new ConfigError(`TEMPORAL_CONFIG_FILE points to ${explicit}, which does not exist: fix the path or unset it`);
    }
    return explicit;
  }
  const candidates = [path.join(cwd, 'temporal.toml')];
  if (env.LAMBDA_TASK_ROOT) candidates.unshift(path.join(env.LAMBDA_TASK_ROOT, 'temporal.toml'));
  return candidates.find((candidate) => fs.existsSync(candidate));
}

function checkFile(source: ConfigDataSource | undefined, setting: string, profile: string, configFile?: string): void {
  if (source && 'path' in source && !fs.existsSync(source.path)) {
    const where = configFile ? `profile "${profile}" in ${configFile}` : 'the environment';
    throw new ConfigError(`${setting} = "${source.path}" (${where}) does not exist: put the file there or fix the path`);
  }
}

function checkProfile(profile: ClientConfigProfile, name: string, configFile?: string): void {
  const address = profile.address ?? DEFAULT_ADDRESS;
  if (/[<>]/.test(address) || /[<>]/.test(profile.namespace ?? '')) {
    throw new ConfigError(
      `profile "${name}" still has a placeholder address or namespace (${address}): edit ${configFile ?? 'temporal.toml'} or set TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE`,
    );
  }
  const tls = profile.tls;
  checkFile(tls?.clientCert, 'client_cert_path', name, configFile);
  checkFile(tls?.clientKey, 'client_key_path', name, configFile);
  checkFile(tls?.serverCACert, 'server_ca_cert_path', name, configFile);
  if (Boolean(tls?.clientCert) !== Boolean(tls?.clientKey)) {
    throw new ConfigError(`profile "${name}" has a client certificate without its key (or a key without its certificate): set both`);
  }
  const isCloud = /\.tmprl\.cloud(:\d+)?$|api\.temporal\.io(:\d+)?$/.test(address);
  if (isCloud && !profile.apiKey && !tls?.clientCert) {
    throw new ConfigError(
      `profile "${name}" points at Temporal Cloud (${address}) but has no credentials: set TEMPORAL_API_KEY (for example in .env) or client_cert_path and client_key_path`,
    );
  }
}

function describeAuth(profile: ClientConfigProfile): string {
  if (profile.apiKey) return 'API key (hidden)';
  if (profile.tls?.clientCert) return 'mTLS client certificate';
  if (profile.tls && !profile.tls.disabled) return 'TLS';
  return 'no auth';
}

export function loadConnectionConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): TemporalConnectionConfig {
  const configFile = findConfigFile(env, cwd);
  const profileName = env.TEMPORAL_PROFILE?.trim() || 'default';
  const envVars = env as Record<string, string>;
  if (configFile) {
    let known: string[];
    try {
      known = Object.keys(loadClientConfig({ configSource: { path: configFile }, overrideEnvVars: envVars }).profiles);
    } catch (err) {
      throw new ConfigError(`${configFile} is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
    }
    if (env.TEMPORAL_PROFILE?.trim() && !known.includes(profileName)) {
      throw new ConfigError(
        `TEMPORAL_PROFILE "${profileName}" is not a profile in ${configFile} (profiles: ${known.join(', ') || 'none'}): pick one of those or add [profile.${profileName}]`,
      );
    }
  }
  const profile = loadClientConfigProfile({
    profile: profileName,
    configSource: configFile ? { path: configFile } : undefined,
    disableFile: !configFile,
    overrideEnvVars: envVars,
  });
  checkProfile(profile, profileName, configFile);
  const { connectionOptions, namespace } = toClientOptions(profile);
  const address = connectionOptions.address ?? DEFAULT_ADDRESS;
  const resolvedNamespace = namespace ?? 'default';
  return {
    connectionOptions: { ...connectionOptions, address },
    namespace: resolvedNamespace,
    profile: profileName,
    configFile,
    summary: `${address}, namespace ${resolvedNamespace}, profile ${profileName} (${describeAuth(profile)})`,
  };
}
