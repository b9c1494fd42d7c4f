/** What global-setup hands to the test files, through environment variables. */

export const TEST_ENV = {
  address: 'SHOPFLOW_TEST_TEMPORAL_ADDRESS',
  bundle: 'SHOPFLOW_TEST_WORKFLOW_BUNDLE',
  workDir: 'SHOPFLOW_TEST_WORK_DIR',
  cli: 'SHOPFLOW_TEST_TEMPORAL_CLI',
  lambdaEndpoint: 'SHOPFLOW_TEST_LAMBDA_ENDPOINT',
} as const;

/** Where global-teardown finds the stage that owns what global-setup started (a global of jest's main process). */
export const TEST_STAGE_KEY = '__shopflowTestStage';

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(
      `${TEST_ENV[name]} is not set: run the tests with \`npm test\` (jest's global setup starts the server)`,
    );
  return value;
}
