const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is done once by `tsc --noEmit` before jest runs; the transform only strips types.
  transform: { '^.+\\.ts$': '<rootDir>/test/support/jest-esbuild.js' },
  testTimeout: 30000,
  // Two workers even on a 2-core machine: most of a suite's time is spent waiting on its own child
  // processes (function instances, the CloudBase emulator, a CLI, Chromium), so one worker left a
  // core idle. Suites share no ports (0 = a free one), data dirs (mkdtemp) or build outputs (written
  // by rename), and their waits are on events with ceilings sized for a loaded machine.
  maxWorkers: Math.max(2, os.availableParallelism()),
  // The long suites first on a fresh clone too, so that none starts last (test/support/sequencer.js).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // One clear message, before any suite runs, when the browser tests would find no Chromium; and
  // one dev merchant per run that every end-to-end stack copies instead of generating its RSA keys.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
