/**
 * Jest: TypeScript through ts-jest (type checking is `npm run typecheck`'s job), in two projects.
 * - unit: the pure tests in test/unit, with no server; `npm run test:unit` runs them alone, in seconds.
 * - stack: everything else, against one real dev server, local Lambda service and browser per run (global setup).
 * `npm test` runs both; a project's global setup runs only when one of its tests is selected.
 */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'stack',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/unit/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 90_000,
  maxWorkers: 2,
  verbose: true,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
