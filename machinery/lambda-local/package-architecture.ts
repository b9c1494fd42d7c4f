/**
 * Lambda runs a function on its declared architecture (`Architectures[0]`), whatever machine the local service is
 * on: a zip whose native Temporal core is built for the other one fails its init on AWS, so it fails here too, with
 * the words the package's own check says at init on AWS (machinery/lambda-entry/check-package.ts, run as if on the function's
 * architecture). A zip without a native core (no `releases/`) has nothing to check.
 */

import fs from 'node:fs';
import path from 'node:path';
import { nodeArchitecture, type LambdaArchitecture } from '../../config/lambda-architecture';
import { checkPackage } from '../lambda-entry/check-package';

/** Why the code in `codeDir` cannot start on `architecture`, or undefined when it can (or carries no native core). */
export function packageArchitectureProblem(codeDir: string, architecture: LambdaArchitecture): string | undefined {
  if (!fs.existsSync(path.join(codeDir, 'releases'))) return undefined;
  try {
    // Only the zip's Linux core and build info are checked (no environment), as on a Linux machine of that architecture.
    checkPackage(codeDir, {}, { os: 'linux', arch: nodeArchitecture(architecture) });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
