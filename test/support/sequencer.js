/**
 * jest testSequencer: the long suites start first even on a fresh clone.
 *
 * jest's own sequencer runs the slowest suites first only when it has their timings from an earlier
 * run on this machine; without them (a fresh clone, CI) it orders by file size, and the chaos suite
 * (a small file, the longest suite by far) could start last and keep one worker busy alone at the
 * end. Here a suite with no recorded timing gets the seconds it took in a measured run (KNOWN_SECONDS,
 * relative to test/), and any other suite a short default; recorded timings, when jest has them,
 * still win. Plain JavaScript because jest loads the sequencer without transforming it.
 */
const { relative, sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds per suite in a measured whole run (`npm test`, two workers, 2026-12-02, load average 4-9):
 * only their order matters. Suites not listed took a few seconds.
 */
const KNOWN_SECONDS = {
  'hygiene/secrets.test.ts': 52,
  'chaos/chaos.test.ts': 46,
  'deploy/cloud.test.ts': 25,
  'local/start.test.ts': 21,
  'bills/reconcile.test.ts': 20,
  'i18n/cli.test.ts': 18,
  'console/console.browser.test.ts': 14,
  'local/restart.test.ts': 12,
  'refunds/refund-flow.test.ts': 12,
  'console/refund.browser.test.ts': 11,
  'e2e/payment-loop.test.ts': 11,
  'console/api.test.ts': 10,
  'fulfilment/fulfilment-loop.test.ts': 10,
  'deploy/cli.test.ts': 9,
  'refunds/refund-recovery.test.ts': 9,
  'console/refund.test.ts': 9,
  'simulator/client.test.ts': 8,
  'e2e/certificate-mode.test.ts': 8,
  'deploy/doctor.test.ts': 8,
};
/** Most suites take a second or two. */
const DEFAULT_SECONDS = 2;

class KnownLongFirst extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded != null) return recorded;
    const key = relative(`${test.context.config.rootDir}${sep}test`, test.path).split(sep).join('/');
    return (KNOWN_SECONDS[key] ?? DEFAULT_SECONDS) * 1000;
  }
}

module.exports = KnownLongFirst;
