/** The machine a package, the local Lambda service or a tool runs on (os + arch); tests inject it to pose as a Mac. */

import { hostArchitecture, rustArchitecture, type LambdaArchitecture } from '../../config/lambda-architecture';

export interface HostPlatform {
  /** Node's `process.platform`: linux, darwin, win32... */
  os: string;
  /** Node's `process.arch`: x64, arm64... */
  arch: string;
}

export function currentHost(): HostPlatform {
  return { os: process.platform, arch: process.arch };
}

/** Where ShopFlow runs: Linux (on AWS and locally) and macOS (locally, through the local Lambda service). */
const SUPPORTED_OS: Readonly<Record<string, string>> = { linux: 'Linux', darwin: 'macOS' };

/** The OS part of the names @temporalio/core-bridge gives its per-platform folders (releases/<target>/index.node). */
const TARGET_OS: Readonly<Record<string, string>> = { linux: 'unknown-linux-gnu', darwin: 'apple-darwin' };

/** "macOS arm64", "Linux x64", "win32 x64". */
export function describeHost(host: HostPlatform): string {
  return `${SUPPORTED_OS[host.os] ?? host.os} ${host.arch}`;
}

/** A clear refusal for a machine the demo cannot run on, before anything starts; nothing on Linux or macOS. */
export function checkHostSupported(host: HostPlatform = currentHost()): void {
  if (!SUPPORTED_OS[host.os]) {
    throw new Error(
      `ShopFlow's local tools run on Linux and macOS; this machine runs ${host.os}. ` +
        (host.os === 'win32'
          ? 'On Windows, run it inside WSL 2 (Ubuntu), with Node 20+ and python3 there.'
          : 'Use a Linux or macOS machine.'),
    );
  }
  hostArchitecture(host.arch);
}

/** The folder of the Temporal core the SDK loads on `host`, e.g. aarch64-apple-darwin. */
export function nativeCoreTarget(host: HostPlatform): string {
  checkHostSupported(host);
  return `${rustArchitecture(hostArchitecture(host.arch))}-${TARGET_OS[host.os]}`;
}

/**
 * The architecture of the package a local Lambda service on `host` runs: always a Linux package (the zip AWS runs),
 * for the host's architecture; on macOS the service adds the host's own core when the function is deployed.
 */
export function localPackageArchitecture(host: HostPlatform = currentHost()): LambdaArchitecture {
  checkHostSupported(host);
  return hostArchitecture(host.arch);
}
