/**
 * What an uploaded zip must be before anything of it reaches the disk, read from its central directory by yauzl
 * (names validated by yauzl's own validateFileName): Lambda's 250 MB unzipped quota, a cap on the number of entries,
 * and entries that stay inside the function's folder: no "..", no absolute paths, no symbolic links. yauzl then
 * checks while unpacking that no entry holds more bytes than its header declares, so a lying zip bomb fails too.
 */

import yauzl from 'yauzl';
import { invalidParameter } from './aws-errors';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export interface ZipLimits {
  maxUnzippedBytes: number;
  maxEntries: number;
}

const DEFAULT_LIMITS: ZipLimits = {
  maxUnzippedBytes: LOCAL_LAMBDA_DEFAULTS.maxUnzippedBytes,
  maxEntries: LOCAL_LAMBDA_DEFAULTS.maxZipEntries,
};

function openBuffer(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false }, (err, file) =>
      err ? reject(invalidParameter(`Could not unzip the uploaded file: ${err.message}`)) : resolve(file),
    ),
  );
}

/** Resolves when the zip may be unpacked; rejects with Lambda's InvalidParameterValueException naming the entry. */
export async function checkUploadedZip(zip: Buffer, limits: ZipLimits = DEFAULT_LIMITS): Promise<void> {
  const file = await openBuffer(zip);
  if (file.entryCount > limits.maxEntries) {
    file.close();
    throw invalidParameter(
      `The zip has ${file.entryCount} entries; the local Lambda service unpacks at most ${limits.maxEntries}: ` +
        'bundle the code (npm run build:lambda does) instead of shipping loose files',
    );
  }
  let unzipped = 0;
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: Error) => {
      file.close();
      reject(error);
    };
    file.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      const problem = yauzl.validateFileName(name);
      if (problem)
        return refuse(
          invalidParameter(
            `Zip entry ${JSON.stringify(name)} would unpack outside the function's folder (${problem}): ` +
              'rebuild the zip with paths relative to its root',
          ),
        );
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
        return refuse(
          invalidParameter(
            `Zip entry ${JSON.stringify(name)} is a symbolic link; the local Lambda service does not unpack links: ` +
              'put the file itself in the zip',
          ),
        );
      unzipped += entry.uncompressedSize;
      if (unzipped >= limits.maxUnzippedBytes)
        return refuse(invalidParameter(`Unzipped size must be smaller than ${limits.maxUnzippedBytes} bytes`));
      file.readEntry();
    });
    file.on('end', resolve);
    file.on('error', (err: Error) => refuse(invalidParameter(`Could not unzip the uploaded file: ${err.message}`)));
    file.readEntry();
  });
}
