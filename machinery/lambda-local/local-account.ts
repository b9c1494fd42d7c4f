/**
 * The local AWS account: who may call the local services, and with which keys. Two IAM users, as a real account has
 * them, plus the external id the invocation role's trust policy requires:
 * - the developer (scripts, tests, the console): may do anything, like an administrator on their own account;
 * - the Temporal worker controller (the dev server): may only assume roles, so it reaches the function the way
 *   Temporal Cloud does, through the invocation role and its external id.
 * The keys are made once per user of this machine and kept in a 0600 file under data/ (never in the repository), so
 * a web page cannot know them and another user of the machine cannot read them.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalAccountKeys {
  developer: AccessKey;
  workerController: AccessKey;
  /** What the invocation role's trust policy requires (the template's ExternalId parameter). */
  externalId: string;
}

const account = LOCAL_LAMBDA_DEFAULTS.accountId;

/** The users' ARNs: the principals the local account's policies name. */
export const LOCAL_USERS = {
  developer: `arn:aws:iam::${account}:user/shopflow-developer`,
  workerController: `arn:aws:iam::${account}:user/temporal-worker-controller`,
} as const;

/** Where the keys live: beside the project's other local state, readable by this user only. */
export const LOCAL_KEYS_FILE = path.resolve(__dirname, '..', '..', 'data', 'local-aws', 'keys.json');

const randomKey = (prefix: string) => ({
  // AKIA: a long-term key, as IAM issues to users (temporary ones start with ASIA).
  accessKeyId: `${prefix}${crypto.randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: crypto.randomBytes(30).toString('base64url'),
});

function makeKeys(): LocalAccountKeys {
  return {
    developer: randomKey('AKIALOCALDEV'),
    workerController: randomKey('AKIALOCALWCI'),
    externalId: `shopflow-${crypto.randomBytes(12).toString('hex')}`,
  };
}

const readKeys = new Map<string, LocalAccountKeys>();

/**
 * The account's keys, made on first use. Many processes may ask at once (jest workers, the demo's children): the
 * file is written whole under a temporary name and linked into place, so every reader sees one set of keys.
 */
export function localAccountKeys(file = LOCAL_KEYS_FILE): LocalAccountKeys {
  // Read once per process: every client, registration and signature check asks, and the keys never change.
  const known = readKeys.get(file);
  if (known) return known;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, `${JSON.stringify(makeKeys(), null, 2)}\n`, { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const keys = parseKeys(fs.readFileSync(file, 'utf8'), file);
  readKeys.set(file, keys);
  return keys;
}

function parseKeys(text: string, file: string): LocalAccountKeys {
  const keys = JSON.parse(text) as Partial<LocalAccountKeys>;
  if (!keys.developer?.secretAccessKey || !keys.workerController?.secretAccessKey || !keys.externalId)
    throw new Error(`${file} is not a set of local keys: delete it, and the next start makes a new one`);
  return keys as LocalAccountKeys;
}
