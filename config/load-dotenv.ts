/** Loads .env (if present) into process.env without overriding variables that are already set. */

import dotenv from 'dotenv';

export function loadDotEnv(): void {
  dotenv.config({ quiet: true });
}
