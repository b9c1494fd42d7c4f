/** The Lambda architecture of the machine the demo, chaos run and bench build their local packages for. */

import { hostArchitecture } from '../../config/lambda-architecture';

test.each([
  ['x64', 'x86_64'],
  ['arm64', 'arm64'],
])("Node's %s is Lambda's %s", (nodeArch, lambdaArch) => {
  expect(hostArchitecture(nodeArch)).toBe(lambdaArch);
});

test('any other machine is refused with what Lambda runs', () => {
  expect(() => hostArchitecture('ia32')).toThrow(
    "this machine's architecture is ia32; Lambda packages run on x64 (x86_64) or arm64 only",
  );
});
