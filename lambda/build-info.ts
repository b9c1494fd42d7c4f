/** What `npm run build:lambda` records about a package: the code's identity and the binary it carries. */

import fs from 'node:fs';
import path from 'node:path';

export const BUILD_INFO_FILE = 'build-info.json';

export type LambdaArchitecture = 'x86_64' | 'arm64';

export interface BuildInfo {
  deploymentName: string;
  buildId: string;
  architecture: LambdaArchitecture;
  builtAt: string;
  /** True only when the build was told to include certificates and keys (--include-certs). */
  includesCerts: boolean;
}

/** Node's name for a Lambda architecture. */
export const NODE_ARCH: Readonly<Record<LambdaArchitecture, string>> = { x86_64: 'x64', arm64: 'arm64' };

export function readBuildInfo(dir: string): BuildInfo | undefined {
  const file = path.join(dir, BUILD_INFO_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BuildInfo) : undefined;
}
