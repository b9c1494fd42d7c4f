/**
 * The flags AWS's Node.js runtime starts Node with (its bootstrap script): the heap sized from the function's
 * memory, and gc exposed. The local execution environments start Node the same way, and the compile cache is
 * produced with them, because V8 rejects a code cache made under other flags (even another heap size).
 */

/** Node's command-line flags in a Lambda environment of `memoryMb` (new space a tenth, half of it per semi-space). */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpaceMb = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpaceMb / 2)}`,
    `--max-old-space-size=${memoryMb - newSpaceMb}`,
  ];
}
