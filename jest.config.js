const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is done once by `tsc --noEmit` before jest runs; the transform only strips types.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // One worker on this 2-core machine (jest's own default there): with three, suites that wait on
  // live streams and function instances timed out under load (test/console/api /api/events in a
  // fresh-clone CI run). Run `npx jest --maxWorkers=3` locally to trade that margin for speed.
  maxWorkers: Math.max(1, os.availableParallelism() - 1),
  // One clear message, before any suite runs, when the browser tests would find no Chromium; and
  // one dev merchant per run that every end-to-end stack copies instead of generating its RSA keys.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
