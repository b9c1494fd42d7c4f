/**
 * The package's entry point (handler string `index.handler`). The package check runs before anything loads the
 * native Temporal module, so a wrong-architecture zip says so in plain words.
 */

import { checkPackage } from './check-package';

checkPackage(__dirname);

// Loaded only after the check, on purpose.
export const { handler } = require('./handler') as typeof import('./handler');
