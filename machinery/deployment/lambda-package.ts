/**
 * Builds the Lambda package: the handler and ShopFlow's code bundled by esbuild, the workflow bundle prebuilt by
 * Temporal's bundler, the one native binary the function's architecture needs, the V8 compile cache made by the
 * runtime's Node, temporal.toml and build-info.json, zipped. Certificates and keys go in only when asked for.
 */

import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { clientConfigToToml, loadClientConfig } from '@temporalio/envconfig';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { workerDeploymentVersion } from '../../config/environment';
import { LAMBDA_PACKAGE_QUOTAS } from '../../config/settings';
import { RELEASE_FEATURES_GLOBAL, releaseFeaturesFromEnv, type ReleaseFeature } from '../../config/release-features';
import { nodeArchitecture, type LambdaArchitecture } from '../../config/lambda-architecture';
import { BUILD_INFO_FILE, type BuildInfo } from '../../lambda/build-info';
import { RUST_TARGET, nativeArchitecture } from '../lambda-entry/check-package';
import { currentHost, describeHost, localPackageArchitecture, type HostPlatform } from '../lambda-entry/host-platform';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import { ensureRuntimeNode } from '../plumbing/runtime-node';
import { DEFAULT_COMPILE_CACHE_MEMORY_MB, produceCompileCache } from './compile-cache';
import { WORKFLOW_BUNDLE_FILE, packageHashes } from './package-hashes';
import { listZip, writeZip, type ZipInput } from '../plumbing/zip';

export interface BuildOptions {
  arch: LambdaArchitecture;
  includeCerts: boolean;
  outFile: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The package's entry source; default machinery/lambda-entry/index.ts (which loads lambda/handler.ts). The benchmark packages the official lifecycle this way. */
  entry?: string;
  /** The connection profiles packed as temporal.toml; default the project's temporal.toml. */
  configFile?: string;
  /** Release features written into the bundle (config/release-features); default SHOPFLOW_RELEASE_FEATURES. */
  releaseFeatures?: readonly ReleaseFeature[];
  /** Pack a V8 compile cache made by the runtime's Node (default true; only for the default entry). */
  compileCache?: boolean;
  /** The function memory the compile cache is made for (Lambda's V8 flags depend on it); default 1024. */
  compileCacheMemoryMb?: number;
  /** The Lambda runtime whose Node makes the compile cache; default LAMBDA_RUNTIME. */
  runtime?: string;
}

export interface PackagePart {
  name: string;
  bytes: number;
}

export interface BuildResult {
  outFile: string;
  zippedBytes: number;
  unzippedBytes: number;
  largest: PackagePart[];
  info: BuildInfo;
  certs: string[];
}

export class PackageTooLargeError extends Error {}

/** temporal.toml holds a secret inline, and the build was not told to pack it. */
export class InlineSecretError extends Error {}

/**
 * Secrets written into temporal.toml itself, by setting and profile (never by value). temporal.toml is packed into
 * the zip, so an inline secret would ship inside it: anyone who can download the function code could read it.
 */
export function inlineSecrets(tomlFile: string): string[] {
  // overrideEnvVars: {}: only what the file itself says; TEMPORAL_API_KEY in this shell is not in the zip.
  const config = loadClientConfig({ configSource: { path: tomlFile }, overrideEnvVars: {} });
  const found: string[] = [];
  for (const [name, profile] of Object.entries(config.profiles ?? {})) {
    if (profile.apiKey) found.push(`api_key in profile "${name}"`);
    if (profile.tls?.clientKey && 'data' in profile.tls.clientKey) found.push(`client_key_data in profile "${name}"`);
    for (const key of Object.keys(profile.grpcMeta ?? {})) {
      if (/authorization|api[-_]?key|token|secret|password/i.test(key))
        found.push(`grpc_meta "${key}" in profile "${name}"`);
    }
  }
  return found;
}

/**
 * The SDK's workflow bundler (webpack, swc, memfs) is loaded by @temporalio/worker at start-up but only used to
 * bundle workflows, which the package carries prebuilt. Replacing it with a stub keeps webpack out of the package
 * and out of every cold start. The stub keeps the names the worker reads when it is given a prebuilt bundle.
 */
const stubWorkflowBundler: Plugin = {
  name: 'stub-workflow-bundler',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/workflow\/bundler$/ }, (args) =>
      /@temporalio[\\/]worker[\\/]lib$/.test(args.resolveDir)
        ? { path: 'workflow-bundler', namespace: 'shopflow-stub' }
        : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'shopflow-stub' }, () => ({
      loader: 'js',
      contents: `
        const unavailable = () => { throw new Error('The workflow bundler is not in the Lambda package: workflows come prebuilt in workflow-bundle.js'); };
        exports.defaultWorkflowInterceptorModules = [];
        exports.allowedBuiltinModules = ['assert', 'url', 'util'];
        exports.disallowedBuiltinModules = [];
        exports.disallowedModules = [];
        exports.moduleMatches = () => false;
        exports.WorkflowCodeBundler = class WorkflowCodeBundler { constructor() { unavailable(); } };
        exports.bundleWorkflowCode = async () => unavailable();`,
    }));
  },
};

/** Cert and key files that temporal.toml's profiles name, relative to the project. */
function certificateFiles(tomlFile: string): string[] {
  const config = loadClientConfig({ configSource: { path: tomlFile } });
  const files = new Set<string>();
  for (const profile of Object.values(config.profiles)) {
    for (const source of [profile.tls?.clientCert, profile.tls?.clientKey, profile.tls?.serverCACert]) {
      if (source && 'path' in source) files.add(source.path);
    }
  }
  return [...files];
}

/** Every file below `dir`, as paths relative to it. */
export function filesUnder(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

/** esbuild `define` for a build's release features: a literal in the code, so nothing at run time can switch them. */
export function releaseFeatureDefine(features: readonly ReleaseFeature[]): Record<string, string> {
  return { [RELEASE_FEATURES_GLOBAL]: JSON.stringify(features.join(',')) };
}

export async function buildLambdaPackage(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const stage = path.join(path.dirname(options.outFile), `lambda-${options.arch}`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const tomlFile = options.configFile ?? path.join(PROJECT_ROOT, 'temporal.toml');
  // Checked first, before minutes of bundling: a secret in temporal.toml must not ship silently.
  const secrets = refuseInlineSecrets(tomlFile, options.includeCerts);
  const releaseFeatures = [...(options.releaseFeatures ?? releaseFeaturesFromEnv(env))];
  const identity = packageIdentity(options, env, releaseFeatures);
  log(`Building the ShopFlow Lambda package: ${identity.deploymentName}/${identity.buildId} for ${options.arch}`);
  if (releaseFeatures.length > 0) log(`  release features built in: ${releaseFeatures.join(', ')}`);

  await bundleCode(stage, options, releaseFeatures, log);
  addNativeCore(stage, options.arch, log);
  const certs = addConnectionConfig(stage, tomlFile, options.includeCerts, secrets, log);
  const info = compileCacheInfo(stage, options, log);

  const built: BuildInfo = { ...identity, ...packageHashes(stage, filesUnder(stage)), ...info };
  log(
    `  workflow bundle sha256 ${built.workflowBundleSha256.slice(0, 12)}..., other code sha256 ${built.otherCodeSha256.slice(0, 12)}...`,
  );
  fs.writeFileSync(path.join(stage, BUILD_INFO_FILE), `${JSON.stringify(built, null, 2)}\n`);

  const sizes = await zipWithinQuotas(stage, options.outFile);
  return { outFile: options.outFile, ...sizes, info: built, certs };
}

/** Refuses a temporal.toml with a secret written in it unless certificates were asked for; returns the secrets. */
function refuseInlineSecrets(tomlFile: string, includeCerts: boolean): string[] {
  const secrets = inlineSecrets(tomlFile);
  if (secrets.length > 0 && !includeCerts) {
    throw new InlineSecretError(
      `${tomlFile} has a secret written in it (${secrets.join(', ')}), and temporal.toml goes into the zip: ` +
        'remove it from the file and store it in AWS Secrets Manager (the function gets TEMPORAL_API_KEY_SECRET=<secret>; docs/deploy-to-aws.md), ' +
        'or pass --include-certs to pack it anyway',
    );
  }
  return secrets;
}

/** What the package says it is (build-info.json without its hashes). */
function packageIdentity(options: BuildOptions, env: NodeJS.ProcessEnv, releaseFeatures: ReleaseFeature[]) {
  const version = workerDeploymentVersion(env);
  return {
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    architecture: options.arch,
    builtAt: new Date().toISOString(),
    includesCerts: options.includeCerts,
    releaseFeatures,
  };
}

/** The workflow bundle (Temporal's bundler) and the handler with ShopFlow's code (esbuild), into `stage`. */
async function bundleCode(
  stage: string,
  options: BuildOptions,
  releaseFeatures: ReleaseFeature[],
  log: (line: string) => void,
): Promise<void> {
  log('  bundling workflow code (Temporal bundler, no webpack at cold start)...');
  const workflows = await bundleWorkflowCode({
    workflowsPath: path.join(PROJECT_ROOT, 'workflows'),
    logger: new DefaultLogger('WARN'),
  });
  fs.writeFileSync(path.join(stage, WORKFLOW_BUNDLE_FILE), workflows.code);

  log('  bundling the handler with esbuild (keepNames, source map)...');
  const sdkWorkflowThread = require.resolve('@temporalio/worker/lib/workflow/workflow-worker-thread');
  await build({
    entryPoints: {
      index: options.entry ?? path.join(PROJECT_ROOT, 'machinery', 'lambda-entry', 'index.ts'),
      // The SDK starts its workflow thread from this file, next to the handler (require.resolve at run time).
      'workflow-worker-thread': options.entry
        ? sdkWorkflowThread
        : path.join(PROJECT_ROOT, 'machinery', 'lambda-entry', 'workflow-thread.ts'),
      // ShopFlow's entries turn the compile cache on, then load the handler and the SDK's thread code from files of
      // their own, through their V8 code caches.
      ...(options.entry
        ? {}
        : { handler: path.join(PROJECT_ROOT, 'lambda', 'handler.ts'), 'workflow-thread-main': sdkWorkflowThread }),
    },
    outdir: stage,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
    plugins: [stubWorkflowBundler],
    define: releaseFeatureDefine(releaseFeatures),
  });

  // The SDK reads the workflow bundle's source map with `source-map`, which loads this file from beside the code.
  fs.copyFileSync(require.resolve('source-map/lib/mappings.wasm'), path.join(stage, 'mappings.wasm'));
}

/** The one native Temporal core the function's architecture needs, checked to be built for it. */
function addNativeCore(stage: string, arch: LambdaArchitecture, log: (line: string) => void): void {
  const target = RUST_TARGET[arch];
  log(`  adding the native Temporal core for ${target} only...`);
  const binary = path.join(
    path.dirname(require.resolve('@temporalio/core-bridge/package.json')),
    'releases',
    target,
    'index.node',
  );
  if (!fs.existsSync(binary)) throw new Error(`@temporalio/core-bridge has no binary for ${target} at ${binary}`);
  fs.mkdirSync(path.join(stage, 'releases', target), { recursive: true });
  fs.copyFileSync(binary, path.join(stage, 'releases', target, 'index.node'));
  const binaryArch = nativeArchitecture(binary);
  if (binaryArch !== arch) {
    throw new Error(
      `${binary} is built for ${binaryArch}, not ${arch}: reinstall @temporalio/core-bridge (npm ci) so its binaries are the published ones`,
    );
  }
}

/** temporal.toml as the SDK reads it, and (only when asked for) the cert files it names; returns those files. */
function addConnectionConfig(
  stage: string,
  tomlFile: string,
  includeCerts: boolean,
  secrets: string[],
  log: (line: string) => void,
): string[] {
  // Not the file itself: the profiles as the SDK reads them, written anew. Comments, misspelt keys and settings the
  // SDK ignores (a commented-out api_key, codec auth) stay behind, so nothing the checks above cannot see ships.
  const packedConfig = loadClientConfig({ configSource: { path: tomlFile }, overrideEnvVars: {} });
  fs.writeFileSync(path.join(stage, 'temporal.toml'), clientConfigToToml(packedConfig));
  const certs = certificateFiles(tomlFile);
  if (!includeCerts) {
    log(
      '  certificates, keys and .env: not included (pass --include-certs to pack the cert files temporal.toml names)',
    );
    return certs;
  }
  for (const cert of certs) {
    if (path.isAbsolute(cert))
      throw new Error(
        `--include-certs: ${cert} is an absolute path; use a path relative to the project so it resolves in the package too`,
      );
    const source = path.join(path.dirname(tomlFile), cert);
    if (!fs.existsSync(source)) throw new Error(`--include-certs: ${cert} (named in temporal.toml) does not exist`);
    fs.mkdirSync(path.dirname(path.join(stage, cert)), { recursive: true });
    fs.copyFileSync(source, path.join(stage, cert));
  }
  log(`  certificates and keys INCLUDED, as asked: ${certs.join(', ') || 'none named in temporal.toml'}`);
  if (secrets.length > 0) log(`  secrets written in temporal.toml INCLUDED, as asked: ${secrets.join(', ')}`);
  return certs;
}

/** The V8 compile cache, made by the runtime's Node when it can be (ShopFlow's entry, the host's architecture). */
function compileCacheInfo(stage: string, options: BuildOptions, log: (line: string) => void): Partial<BuildInfo> {
  if (options.compileCache === false || options.entry) {
    log("  compile cache: not made (--no-compile-cache, or a handler other than ShopFlow's)");
    return {};
  }
  if (nodeArchitecture(options.arch) !== process.arch) {
    log(
      `  compile cache: not made (${options.arch} package, built on ${process.arch}: V8's cache is per architecture)`,
    );
    return {};
  }
  return {
    compileCache: produceCompileCache({
      stageDir: stage,
      handlerFile: 'handler.js',
      threadEntry: 'workflow-worker-thread.js',
      threadFile: 'workflow-thread-main.js',
      memoryMb: options.compileCacheMemoryMb ?? DEFAULT_COMPILE_CACHE_MEMORY_MB,
      log,
      ...(options.runtime && { node: ensureRuntimeNode(options.runtime, log) }),
    }),
  };
}

/** Zips `stage` to `outFile`, refusing a package over Lambda's quotas (and leaving no zip behind then). */
async function zipWithinQuotas(
  stage: string,
  outFile: string,
): Promise<Pick<BuildResult, 'zippedBytes' | 'unzippedBytes' | 'largest'>> {
  const entries: ZipInput[] = filesUnder(stage).map((name) => ({
    name: name.split(path.sep).join('/'),
    file: path.join(stage, name),
    executable: name.endsWith('.node'),
  }));
  const partial = `${outFile}.partial`;
  await writeZip(entries, partial);
  const listed = await listZip(partial);
  const zippedBytes = fs.statSync(partial).size;
  const unzippedBytes = listed.reduce((sum, e) => sum + e.uncompressedSize, 0);
  const largest = listed
    .map((e) => ({ name: e.name, bytes: e.uncompressedSize }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  if (zippedBytes > LAMBDA_PACKAGE_QUOTAS.zippedBytes || unzippedBytes > LAMBDA_PACKAGE_QUOTAS.unzippedBytes) {
    fs.rmSync(partial);
    throw new PackageTooLargeError(
      `the package is ${mb(zippedBytes)} zipped / ${mb(unzippedBytes)} unzipped, over Lambda's limits ` +
        `(${mb(LAMBDA_PACKAGE_QUOTAS.zippedBytes)} zipped, ${mb(LAMBDA_PACKAGE_QUOTAS.unzippedBytes)} unzipped). Largest parts: ` +
        largest.map((p) => `${p.name} ${mb(p.bytes)}`).join(', '),
    );
  }
  fs.renameSync(partial, outFile);
  return { zippedBytes, unzippedBytes, largest };
}

/**
 * The package a local Lambda service on `host` runs (the demo, the chaos run): the Linux zip AWS would run, for the
 * host's architecture. On a Mac the service adds the Mac's own native core when the function is deployed.
 */
export async function buildLocalLambdaPackage(
  options: Omit<BuildOptions, 'arch'> & { host?: HostPlatform },
): Promise<BuildResult> {
  const { host = currentHost(), ...rest } = options;
  const arch = localPackageArchitecture(host);
  if (host.os !== 'linux') {
    const note = "the local Lambda service adds this machine's core";
    options.log?.(`  ${describeHost(host)}: building the Linux ${arch} package; ${note}`);
  }
  return buildLambdaPackage({ ...rest, arch });
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
