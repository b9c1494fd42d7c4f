/** Tests print only the SDK's errors (expected workflow failures log warnings), so a failing test's output is readable. */

import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed in this worker process by an earlier test file.
}
