/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // One moto server per jest worker, started once per run (test/support/moto-global-setup.ts).
  globalSetup: '<rootDir>/test/support/moto-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/moto-global-teardown.ts',
  maxWorkers: 2,
  // A hang guard, not a speed measure (the benchmark measures speed): the moto end-to-end tests
  // take 60-150 s on the project machines when several test runs share their 2 CPUs.
  testTimeout: 240000,
};
