/**
 * Zips no honest build makes, for the local Lambda service's bad-input tests, built with yazl in memory. yazl refuses
 * to write ".." or absolute names, so those are written under a safe name of the same length and then renamed in
 * place (the name is in the local header and the central directory; no checksum covers it).
 */

import yazl from 'yazl';

function zipOf(add: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  add(zip);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const HANDLER = Buffer.from('exports.handler = async () => "pwned";\n');

/** index.js plus one file whose name, as stored, is `name` (e.g. "../evil.js", "/tmp/evil.js"). */
export async function zipWithEntryNamed(name: string): Promise<Buffer> {
  const placeholder = 'x'.repeat(name.length);
  const zip = await zipOf((z) => {
    z.addBuffer(HANDLER, 'index.js');
    z.addBuffer(HANDLER, placeholder);
  });
  const from = Buffer.from(placeholder);
  const to = Buffer.from(name);
  for (let at = zip.indexOf(from); at !== -1; at = zip.indexOf(from, at + to.length)) to.copy(zip, at);
  return zip;
}

/** index.js plus a symbolic link `name` pointing at `target`. */
export function zipWithSymlink(name: string, target: string): Promise<Buffer> {
  return zipOf((z) => {
    z.addBuffer(HANDLER, 'index.js');
    z.addBuffer(Buffer.from(target), name, { mode: 0o120777, compress: false });
  });
}

/** A zip bomb: `entries` files of zeros, `bytesEach` each, that deflate to almost nothing. */
export function zipBomb(entries: number, bytesEach: number): Promise<Buffer> {
  const zeros = Buffer.alloc(bytesEach);
  return zipOf((z) => {
    z.addBuffer(HANDLER, 'index.js');
    for (let i = 0; i < entries; i++) z.addBuffer(zeros, `zeros-${i}.bin`, { compressionLevel: 1 });
  });
}

/** index.js plus `count - 1` empty files. */
export function zipOfManyEntries(count: number): Promise<Buffer> {
  const empty = Buffer.alloc(0);
  return zipOf((z) => {
    z.addBuffer(HANDLER, 'index.js');
    for (let i = 1; i < count; i++) z.addBuffer(empty, `f/${i}.js`, { compress: false });
  });
}

/**
 * A zip bomb that lies: one entry of `actualBytes` zeros whose central directory says it unpacks to `declaredBytes`,
 * so only counting the bytes while unpacking can stop it.
 */
export async function lyingZipBomb(actualBytes: number, declaredBytes: number): Promise<Buffer> {
  const zip = await zipBomb(1, actualBytes);
  const name = Buffer.from('zeros-0.bin');
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = zip.indexOf(central); at !== -1; at = zip.indexOf(central, at + 4)) {
    if (zip.subarray(at + 46, at + 46 + name.length).equals(name)) zip.writeUInt32LE(declaredBytes, at + 24);
  }
  return zip;
}
