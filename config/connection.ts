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
import { DEV_SERVER_PORT } from './settings';

export interface TemporalConnectionConfig {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  profile: string;
  /** The config file used, if any. */
  configFile?: string;
  /** A one-line description that is safe to print: it never contains a key. */
  summary: string;
}

const DEFAULT_ADDRESS = `127.0.0.1:${DEV_SERVER_PORT}`;

/** Temporal Cloud's endpoints: a namespace's (`<ns>.<account>.tmprl.cloud`) or a regional API one. */
/**
 * The function's environment names the Secrets Manager secret (name or ARN) holding the Temporal API key; the key
 * itself never goes into a function's configuration, where every published version would freeze it.
 */
export const API_KEY_SECRET_VARIABLE = 'TEMPORAL_API_KEY_SECRET';

export function isTemporalCloudAddress(address: string): boolean {
  return /\.tmprl\.cloud(:\d+)?$|api\.temporal\.io(:\d+)?$/.test(address);
}

/** TEMPORAL_CONFIG_FILE, then ./temporal.toml, then $LAMBDA_TASK_ROOT/temporal.toml, else environment only. */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const explicit = env.TEMPORAL_CONFIG_FILE?.trim();
  if (explicit) {
    if (!fs.existsSync(explicit)) {
      throw new ConfigError(
        `TEMPORAL_CONFIG_FILE points to ${explicit}, which does not exist: fix the path or unset it`,
      );
    }
    return explicit;
  }
  const candidates = [path.join(cwd, 'temporal.toml')];
  if (env.LAMBDA_TASK_ROOT) candidates.unshift(path.join(env.LAMBDA_TASK_ROOT, 'temporal.toml'));
  return candidates.find((candidate) => fs.existsSync(candidate));
}

/** The TEMPORAL_TLS_* variable that overrides each path setting: the message names where the path came from. */
const PATH_VARIABLES: Readonly<Record<string, string>> = {
  client_cert_path: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  client_key_path: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  server_ca_cert_path: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
};

function checkFile(
  source: ConfigDataSource | undefined,
  setting: string,
  profile: string,
  env: NodeJS.ProcessEnv,
  configFile?: string,
): void {
  if (source && 'path' in source && !fs.existsSync(source.path)) {
    const variable = PATH_VARIABLES[setting];
    const fromEnv = env[variable] !== undefined && env[variable] === source.path;
    const what = fromEnv
      ? `${variable} = "${source.path}" (environment)`
      : `${setting} = "${source.path}" (${configFile ? `profile "${profile}" in ${configFile}` : 'the environment'})`;
    throw new ConfigError(`${what} does not exist: put the file there or fix the path`);
  }
}

function checkProfile(profile: ClientConfigProfile, name: string, env: NodeJS.ProcessEnv, configFile?: string): void {
  const address = profile.address ?? DEFAULT_ADDRESS;
  if (/[<>]/.test(address) || /[<>]/.test(profile.namespace ?? '')) {
    throw new ConfigError(
      `profile "${name}" still has a placeholder address or namespace (address ${address}, namespace ${profile.namespace ?? 'default'}): ` +
        `edit ${configFile ?? 'temporal.toml'} or set TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE`,
    );
  }
  const tls = profile.tls;
  checkFile(tls?.clientCert, 'client_cert_path', name, env, configFile);
  checkFile(tls?.clientKey, 'client_key_path', name, env, configFile);
  checkFile(tls?.serverCACert, 'server_ca_cert_path', name, env, configFile);
  if (Boolean(tls?.clientCert) !== Boolean(tls?.clientKey)) {
    throw new ConfigError(
      `profile "${name}" has a client certificate without its key (or a key without its certificate): set both`,
    );
  }
  // A Lambda function reads its key from the secret store when it starts (TEMPORAL_API_KEY_SECRET); it is not here yet.
  const keyFromSecretStore = Boolean(env[API_KEY_SECRET_VARIABLE]?.trim());
  if (isTemporalCloudAddress(address) && !profile.apiKey && !tls?.clientCert && !keyFromSecretStore) {
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

function fileError(configFile: string, err: Error): ConfigError {
  // Only the first line: parsers may quote the offending source line below it, and that line may hold a key.
  const reason = err.message.split('\n')[0];
  const unknownKeys = /^Validation error: (key\(s\) unrecognized.*)$/.exec(reason);
  if (unknownKeys) {
    return new ConfigError(
      `${configFile}: ${unknownKeys[1]}: fix the spelling or remove them (a profile takes address, namespace, api_key, tls, codec, grpc_meta)`,
    );
  }
  return new ConfigError(`${configFile} is not valid TOML: ${reason}`);
}

export function loadConnectionConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): TemporalConnectionConfig {
  const configFile = findConfigFile(env, cwd);
  const profileName = env.TEMPORAL_PROFILE?.trim() || 'default';
  const envVars = env as Record<string, string>;
  let fileHasProfiles = false;
  if (configFile) {
    let known: string[] = [];
    try {
      // Strict: a misspelt key (`apikey`, `client_cert`) would otherwise be ignored without a word.
      const loaded = loadClientConfig({
        configSource: { path: configFile },
        overrideEnvVars: envVars,
        configFileStrict: true,
      });
      known = Object.keys(loaded.profiles);
      fileHasProfiles = true;
    } catch (err) {
      // envconfig fails with a TypeError on valid TOML that has no [profile.*] table (an empty file): no profiles.
      if (!(err instanceof TypeError)) throw fileError(configFile, err as Error);
    }
    if (env.TEMPORAL_PROFILE?.trim() && !known.includes(profileName)) {
      throw new ConfigError(
        `TEMPORAL_PROFILE "${profileName}" is not a profile in ${configFile} (profiles: ${known.join(', ') || 'none'}): pick one of those or add [profile.${profileName}]`,
      );
    }
  }
  if (!configFile && env.TEMPORAL_PROFILE?.trim()) {
    throw new ConfigError(
      `TEMPORAL_PROFILE "${profileName}" is set but there is no temporal.toml in ${cwd}` +
        `${env.LAMBDA_TASK_ROOT ? ` or ${env.LAMBDA_TASK_ROOT}` : ''}: run from the project folder, set TEMPORAL_CONFIG_FILE, or unset TEMPORAL_PROFILE`,
    );
  }
  const profile = loadClientConfigProfile({
    profile: profileName,
    configSource: fileHasProfiles ? { path: configFile! } : undefined,
    disableFile: !fileHasProfiles,
    overrideEnvVars: envVars,
  });
  checkProfile(profile, profileName, env, configFile);
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
