/**
 * On a machine that is not Linux (a presenter's Mac), the local Lambda service adds the machine's own native Temporal
 * core to a function's unpacked code at deploy time: the zip stays the Linux one AWS runs, and nothing else differs.
 */

import fs from 'node:fs';
import path from 'node:path';
import { hostArchitecture } from '../../config/lambda-architecture';
import { RUST_TARGET } from '../lambda-entry/check-package';
import { currentHost, describeHost, nativeCoreTarget, type HostPlatform } from '../lambda-entry/host-platform';

/** The project's own @temporalio/core-bridge, which ships the core for every platform the SDK supports. */
export function projectCoreBridgeDir(): string {
  return path.dirname(require.resolve('@temporalio/core-bridge/package.json'));
}

/**
 * Copies `releases/<host target>/index.node` from the project's core-bridge into `codeDir` when the host is not Linux
 * and the code is a Temporal package for the host's architecture. Returns the one line to say about it, or nothing
 * when there was nothing to do (a Linux host, or code without a native core, such as a plain handler).
 */
export function overlayHostNativeCore(
  codeDir: string,
  host: HostPlatform = currentHost(),
  coreBridgeDir: string = projectCoreBridgeDir(),
): string | undefined {
  const releases = path.join(codeDir, 'releases');
  if (host.os === 'linux' || !fs.existsSync(releases)) return undefined;
  const target = nativeCoreTarget(host);
  const linuxCore = `releases/${RUST_TARGET[hostArchitecture(host.arch)]}/index.node`;
  if (!fs.existsSync(path.join(codeDir, linuxCore))) {
    // A package for another architecture: left as it is, so the package check refuses it with the real mismatch.
    return (
      `not adding ${describeHost(host)}'s native Temporal core: the package has no ${linuxCore}, ` +
      "so it is not built for this machine's architecture"
    );
  }
  const source = path.join(coreBridgeDir, 'releases', target, 'index.node');
  if (!fs.existsSync(source)) {
    const needs = `the function needs it on ${describeHost(host)}`;
    throw new Error(`${source} is missing, and ${needs}: reinstall the npm packages (npm ci)`);
  }
  fs.mkdirSync(path.join(releases, target), { recursive: true });
  fs.copyFileSync(source, path.join(releases, target, 'index.node'));
  return (
    `added ${describeHost(host)}'s native Temporal core ` +
    `(releases/${target}/index.node, from @temporalio/core-bridge) ` +
    'to the unpacked code; the zip itself stays Linux-only, as AWS runs it'
  );
}
