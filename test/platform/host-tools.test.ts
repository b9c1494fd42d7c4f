/**
 * What the local tools decide from the machine they run on, injected: the native core folder the SDK loads, the
 * architecture of the local package, the runtime client of the local Lambda service, and the refusal elsewhere.
 */

import { localPackageArchitecture, nativeCoreTarget } from '../../machinery/lambda-entry/host-platform';
import { chooseRuntime } from '../../machinery/lambda-local/runtime-command';

test.each([
  ['darwin', 'arm64', 'aarch64-apple-darwin', 'arm64'],
  ['darwin', 'x64', 'x86_64-apple-darwin', 'x86_64'],
  ['linux', 'arm64', 'aarch64-unknown-linux-gnu', 'arm64'],
  ['linux', 'x64', 'x86_64-unknown-linux-gnu', 'x86_64'],
])('%s %s loads releases/%s and runs the Linux %s package locally', (os, arch, target, packageArch) => {
  expect(nativeCoreTarget({ os, arch })).toBe(target);
  expect(localPackageArchitecture({ os, arch })).toBe(packageArch);
});

test('Windows and other machines are refused before anything starts, with what to use', () => {
  expect(() => localPackageArchitecture({ os: 'win32', arch: 'x64' })).toThrow(
    new Error(
      "ShopFlow's local tools run on Linux and macOS; this machine runs win32. " +
        'On Windows, run it inside WSL 2 (Ubuntu), with Node 20+ and python3 there.',
    ),
  );
  expect(() => nativeCoreTarget({ os: 'linux', arch: 'ia32' })).toThrow(
    new Error("this machine's architecture is ia32; Lambda packages run on x64 (x86_64) or arm64 only"),
  );
});

test('on macOS the local Lambda service runs the built-in runtime client, and says why', () => {
  for (const arch of ['arm64', 'x64']) {
    const runtime = chooseRuntime('auto', { os: 'darwin', arch });
    expect(runtime.name).toBe('built-in runtime client (aws-lambda-ric does not build on macOS)');
    expect(runtime.command[1]).toMatch(/lambda-local[\\/]runtime-client\.cjs$/);
    expect(() => chooseRuntime('aws', { os: 'darwin', arch })).toThrow(
      new Error(
        'aws-lambda-ric does not build on macOS (its install script skips the native part there): ' +
          'use --runtime builtin (or auto, the default), which follows the same documented Runtime API',
      ),
    );
  }
});
