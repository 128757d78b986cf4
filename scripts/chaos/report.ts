/** The chaos run's table: what happened, what was injected, what broke. */
import { SIM_FAULTS, WRITE_FAILURE_RATE, type ChaosReport } from './run';

export function formatReport(r: ChaosReport): string {
  const n = r.notifications;
  const rows: Array<[string, string]> = [
    ['orders (customers)', `${r.orders} (seed ${r.seed})`],
    ['plans', Object.entries(r.plans).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['orders created / customers gave up', `${r.created} / ${r.abandoned}`],
    ['paid (SUCCESS, incl. partly refunded)', String(r.paid)],
    ['closed (expired unpaid)', String(r.closed)],
    ['PAYERROR', String(r.payerror)],
    ['refund requests: acknowledged / refused / gave up', `${r.refunds.requests}: ${r.refunds.acknowledged} / ${r.refunds.refused} / ${r.refunds.gaveUp}`],
    ['  refunds SUCCESS / CLOSED / PROCESSING', `${r.refunds.succeeded} / ${r.refunds.closed} / ${r.refunds.processing}`],
    ['  orders fully (REFUND) / partly refunded', `${r.refunds.fullyRefundedOrders} / ${r.refunds.partlyRefundedOrders}`],
    ['notifications (deliveries)', `${n.deliveries}: ${n.delivered} delivered, ${n.gaveUp} gave up`],
    ['notification attempts / copies sent', `${n.attempts} / ${n.copiesSent}`],
    ['  dropped / duplicated / probes / rejected', `${n.dropped} / ${n.duplicated} / ${n.probes} / ${n.rejected}`],
    ['  timed out / network errors', `${n.timedOut} / ${n.networkErrors}`],
    ['simulator faults (configured)', Object.entries(SIM_FAULTS).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['CloudBase write failure rate (configured)', String(WRITE_FAILURE_RATE)],
    ['faults injected: SYSTEM_ERROR / FREQUENCY_LIMITED', `${r.injected.systemError} / ${r.injected.frequencyLimited}`],
    ['  WeChat Pay answers slowed', `${r.injected.latencyAdded} (+${SIM_FAULTS.latencyMs} ms each)`],
    ['  CloudBase writes failed', `${r.injected.writeFailures} (at least: counted per emulator process, read before each SIGKILL)`],
    ['CloudBase SIGKILL + restart', String(r.kills)],
    ['reconciliation ticks (after customers)', String(r.reconcileTicks)],
    ['customer phase', `${(r.customerPhaseMs / 1000).toFixed(1)} s`],
    ['time to converge', `${(r.convergeMs / 1000).toFixed(1)} s`],
    ['total', `${(r.totalMs / 1000).toFixed(1)} s`],
    ['notes', String(r.notes.length)],
    ['VIOLATIONS', String(r.violations.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const v of r.violations.slice(0, 50)) lines.push(`  violation: ${v}`);
  if (r.violations.length > 50) lines.push(`  … and ${r.violations.length - 50} more`);
  for (const note of r.notes.slice(0, 20)) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
