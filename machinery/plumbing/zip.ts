/** Zip writing and reading for the Lambda package (yazl / yauzl): deterministic archives, safe extraction. */

import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface ZipInput {
  /** Path inside the archive, with forward slashes. */
  name: string;
  file: string;
  executable?: boolean;
}

/** A fixed timestamp, so building the same code twice gives the same zip. */
const EPOCH = new Date('2026-01-01T00:00:00Z');

export function writeZip(entries: ZipInput[], outFile: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    zip.addFile(entry.file, entry.name, {
      mtime: EPOCH,
      mode: entry.executable ? 0o100755 : 0o100644,
      compressionLevel: 9,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(outFile);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

/** Every entry of a zip, with sizes. */
export async function listZip(file: string): Promise<ZipEntryInfo[]> {
  const zip = await open(file);
  const entries: ZipEntryInfo[] = [];
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push({
        name: entry.fileName,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
      });
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Unpacks a zip into `dir` the way Lambda does (files only; modes kept). */
export async function extractZip(file: string, dir: string): Promise<void> {
  const zip = await open(file);
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const target = path.join(dir, entry.fileName);
      if (!target.startsWith(path.resolve(dir) + path.sep))
        return reject(new Error(`unsafe path in zip: ${entry.fileName}`));
      if (entry.fileName.endsWith('/')) {
        fs.mkdirSync(target, { recursive: true });
        zip.readEntry();
        return;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const mode = (entry.externalFileAttributes >>> 16) & 0o777;
        // pipeline: an error of the read side (yauzl's byte count, a corrupt deflate stream) rejects, never crashes.
        pipeline(stream, fs.createWriteStream(target, { mode: mode || 0o644 })).then(
          () => zip.readEntry(),
          (error: Error) => {
            zip.close();
            reject(
              /^too many bytes in the stream/.test(error.message)
                ? new Error(
                    `entry ${entry.fileName} unpacks to more than the ${entry.uncompressedSize} bytes the zip declares ` +
                      '(a corrupt zip, or a zip bomb)',
                  )
                : error,
            );
          },
        );
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** One file of a zip, read into memory (for example build-info.json); undefined when the zip has no such entry. */
export async function readZipEntry(file: string, name: string): Promise<Buffer | undefined> {
  const zip = await open(file);
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          zip.close();
          resolve(Buffer.concat(chunks));
        });
        stream.on('error', reject);
      });
    });
    zip.on('end', () => resolve(undefined));
    zip.on('error', reject);
    zip.readEntry();
  });
}
