/**
 * The fulfilment phase's bounds grow with the work: a 10k-order run (about 7000 paid orders) gets
 * enough timer ticks for the timer's batches and a deadline that covers its shipping, while a small
 * run keeps the old bounds' order of magnitude (a platform that never answers still ends the phase).
 */
import { FULFILMENT_BATCH } from '../../lib/fulfilment/reconcile';
import { phaseBudget } from '../../scripts/chaos/fulfilment';

it('each stage may take at least three timer batches per paid order and the deadline grows per paid order', () => {
  const small = phaseBudget(30);
  const big = phaseBudget(7000);
  expect(big.maxTicks).toBeGreaterThanOrEqual(3 * Math.ceil(7000 / FULFILMENT_BATCH));
  expect(big.deadlineMs - small.deadlineMs).toBe(400 * (7000 - 30));
  // Bounded: a 10k run's phase still ends within the hour whatever the platform does.
  expect(big.deadlineMs).toBeLessThan(3600_000);
  expect(small).toEqual({ maxTicks: 63, deadlineMs: 312_000 });
});
