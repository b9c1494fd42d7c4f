/**
 * Runs first when the package loads: checks that the zip fits the function (architecture) and that its
 * configuration does not contradict the code's identity, before the native module is loaded and fails obscurely.
 */

import { NODE_ARCH, readBuildInfo, type BuildInfo } from './build-info';

export function checkPackage(dir: string, env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): BuildInfo | undefined {
  const info = readBuildInfo(dir);
  if (!info) return undefined;
  if (NODE_ARCH[info.architecture] !== arch) {
    const actual = arch === 'x64' ? 'x86_64' : arch;
    throw new Error(
      `This package was built for ${info.architecture} but the function runs on ${actual}: ` +
        `rebuild with \`npm run build:lambda -- --arch ${actual}\` or set the function's architecture to ${info.architecture}.`,
    );
  }
  const envBuildId = env.SHOPFLOW_BUILD_ID?.trim();
  if (envBuildId && envBuildId !== info.buildId) {
    throw new Error(
      `SHOPFLOW_BUILD_ID is ${envBuildId} in the function's environment, but this package was built as ${info.buildId}: ` +
        'remove the variable, or rebuild with that build id.',
    );
  }
  const envDeployment = env.SHOPFLOW_DEPLOYMENT_NAME?.trim();
  if (envDeployment && envDeployment !== info.deploymentName) {
    throw new Error(
      `SHOPFLOW_DEPLOYMENT_NAME is ${envDeployment} in the function's environment, but this package was built for ${info.deploymentName}: ` +
        'remove the variable, or rebuild with that name.',
    );
  }
  return info;
}
