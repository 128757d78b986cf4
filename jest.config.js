const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is done once by `tsc --noEmit` before jest runs; the transform only strips types.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // Most suites wait (on function instances, HTTP, timers) far more than they compute, so more
  // workers than cores overlap the waiting: on a 2-core machine jest's default is a single worker.
  // Suites share no ports (port 0) nor data dirs (mkdtemp); function bundles are replaced by rename.
  // `npx jest --maxWorkers=1` still runs them one at a time. A number, not '150%': jest reads a
  // percentage above 100 as a plain count (150 workers).
  maxWorkers: Math.max(1, Math.ceil(os.availableParallelism() * 1.5)),
  // One clear message, before any suite runs, when the browser tests would find no Chromium.
  globalSetup: '<rootDir>/test/support/browser-check.ts',
};
