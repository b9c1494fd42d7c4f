/**
 * The package check with the machine injected (runs here on Linux, posing as each platform): what it accepts and
 * what it refuses, with the exact message. Packages are folders holding the real binaries @temporalio/core-bridge
 * ships (linked, not copied: the check reads their headers), laid out as the builder and the local service lay them.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { BUILD_INFO_FILE } from '../../lambda/build-info';
import { checkPackage } from '../../machinery/lambda-entry/check-package';
import type { HostPlatform } from '../../machinery/lambda-entry/host-platform';
import { projectCoreBridgeDir } from '../../machinery/lambda-local/native-core-overlay';

const MAC_ARM: HostPlatform = { os: 'darwin', arch: 'arm64' };
const MAC_X64: HostPlatform = { os: 'darwin', arch: 'x64' };
const LINUX_ARM: HostPlatform = { os: 'linux', arch: 'arm64' };
const LINUX_X64: HostPlatform = { os: 'linux', arch: 'x64' };

const LINUX_ARM_CORE = 'releases/aarch64-unknown-linux-gnu/index.node';
const LINUX_X64_CORE = 'releases/x86_64-unknown-linux-gnu/index.node';
const MAC_ARM_CORE = 'releases/aarch64-apple-darwin/index.node';
const MAC_X64_CORE = 'releases/x86_64-apple-darwin/index.node';

interface Row {
  name: string;
  host: HostPlatform;
  /** build-info.json's architecture; none for a hand-made zip. */
  built?: LambdaArchitecture;
  /** Where each file sits in the package -> which real core-bridge binary it is. */
  files: Record<string, string>;
  /** undefined: accepted. */
  refused?: string;
}

const rebuild = (arch: string) => `rebuild with \`npm run build:lambda -- --arch ${arch}\``;
const redeploy =
  'deploy the function again (UpdateFunctionCode) so the local Lambda service copies the right core from ' +
  '@temporalio/core-bridge (run `npm ci` first if that copy is damaged).';

const ROWS: Row[] = [
  {
    name: 'Linux x64 runs the x86_64 package as built',
    host: LINUX_X64,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_X64_CORE },
  },
  {
    name: 'Linux arm64 runs the arm64 package as built',
    host: LINUX_ARM,
    built: 'arm64',
    files: { [LINUX_ARM_CORE]: LINUX_ARM_CORE },
  },
  {
    name: 'Linux arm64 ignores a Mac core next to its own (a package from a Mac service state folder)',
    host: LINUX_ARM,
    built: 'arm64',
    files: { [LINUX_ARM_CORE]: LINUX_ARM_CORE, [MAC_ARM_CORE]: MAC_ARM_CORE },
  },
  {
    name: 'macOS arm64 runs the arm64 package with the overlay',
    host: MAC_ARM,
    built: 'arm64',
    files: { [LINUX_ARM_CORE]: LINUX_ARM_CORE, [MAC_ARM_CORE]: MAC_ARM_CORE },
  },
  {
    name: 'macOS x64 runs the x86_64 package with the overlay',
    host: MAC_X64,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_X64_CORE, [MAC_X64_CORE]: MAC_X64_CORE },
  },
  {
    name: 'macOS arm64 refuses the package without the overlay (loaded outside the local service)',
    host: MAC_ARM,
    built: 'arm64',
    files: { [LINUX_ARM_CORE]: LINUX_ARM_CORE },
    refused:
      `This package carries the Linux native Temporal core only (${LINUX_ARM_CORE}), ` +
      `and on macOS arm64 the SDK loads ${MAC_ARM_CORE}: ` +
      'run it through the local Lambda service (npm run lambda-local, or npm run demo), ' +
      "which adds this machine's core when the function is deployed.",
  },
  {
    name: 'macOS arm64 refuses an x86_64 package, overlay or not: the architecture really differs',
    host: MAC_ARM,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_X64_CORE, [MAC_ARM_CORE]: MAC_ARM_CORE },
    refused:
      `This package was built for x86_64 but the function runs on arm64: ${rebuild('arm64')} ` +
      "or set the function's architecture to x86_64.",
  },
  {
    name: 'macOS arm64 refuses an overlay compiled for the other Mac',
    host: MAC_ARM,
    built: 'arm64',
    files: { [LINUX_ARM_CORE]: LINUX_ARM_CORE, [MAC_ARM_CORE]: MAC_X64_CORE },
    refused: `${MAC_ARM_CORE} is built for macOS (Mach-O) x86_64, but this machine is macOS arm64: ${redeploy}`,
  },
  {
    name: 'macOS x64 refuses a Linux binary under the Mac core name',
    host: MAC_X64,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_X64_CORE, [MAC_X64_CORE]: LINUX_X64_CORE },
    refused: `${MAC_X64_CORE} is built for Linux x86_64, but this machine is macOS x64: ${redeploy}`,
  },
  {
    name: 'macOS x64 refuses a Mac binary under the Linux core name (the zip would fail on AWS)',
    host: MAC_X64,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: MAC_X64_CORE, [MAC_X64_CORE]: MAC_X64_CORE },
    refused:
      `${LINUX_X64_CORE} is built for macOS (Mach-O) x86_64, but the function runs on x86_64: ` +
      `the package was assembled wrongly; ${rebuild('x86_64')}.`,
  },
  {
    name: 'macOS arm64 refuses a hand-made zip carrying only the Mac core',
    host: MAC_ARM,
    files: { [MAC_ARM_CORE]: MAC_ARM_CORE },
    refused:
      `This package has no native Temporal core for arm64 (${LINUX_ARM_CORE}); it carries ${MAC_ARM_CORE}: ` +
      `${rebuild('arm64')} or set the function's architecture to match.`,
  },
  {
    name: 'Linux x64 still refuses the arm64 core under the x86_64 name',
    host: LINUX_X64,
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_ARM_CORE },
    refused:
      `${LINUX_X64_CORE} is built for arm64, but the function runs on x86_64: ` +
      `the package was assembled wrongly; ${rebuild('x86_64')}.`,
  },
  {
    name: 'Windows is refused with what to use instead',
    host: { os: 'win32', arch: 'x64' },
    built: 'x86_64',
    files: { [LINUX_X64_CORE]: LINUX_X64_CORE },
    refused:
      "ShopFlow's local tools run on Linux and macOS; this machine runs win32. " +
      'On Windows, run it inside WSL 2 (Ubuntu), with Node 20+ and python3 there.',
  },
];

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-package-check-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function packageFolder(row: Row, index: number): string {
  const dir = path.join(root, `row-${index}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [where, binary] of Object.entries(row.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, where)), { recursive: true });
    fs.symlinkSync(path.join(projectCoreBridgeDir(), binary), path.join(dir, where));
  }
  if (row.built) {
    const info = {
      deploymentName: 'shopflow',
      buildId: 'v1',
      architecture: row.built,
      builtAt: '2026-01-01T00:00:00.000Z',
      includesCerts: false,
    };
    fs.writeFileSync(path.join(dir, BUILD_INFO_FILE), JSON.stringify(info));
  }
  return dir;
}

test.each(ROWS.map((row, index) => ({ ...row, index })))('$name', ({ index, ...row }) => {
  const dir = packageFolder(row, index);
  const check = () => checkPackage(dir, {}, row.host);
  if (row.refused === undefined) {
    expect(check()?.architecture ?? 'hand-made').toBe(row.built ?? 'hand-made');
  } else {
    expect(check).toThrow(new Error(row.refused));
  }
});
