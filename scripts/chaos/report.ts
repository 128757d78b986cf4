/** The chaos run's table: what happened, what was injected, what broke. */
import { PLATFORM_FAULTS } from './fulfilment';
import { WRITE_FAILURE_RATE, type ChaosReport } from './run';

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
    ['simulator faults (configured)', Object.entries(r.simFaults).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['CloudBase write failure rate (configured)', String(WRITE_FAILURE_RATE)],
    ['faults injected: SYSTEM_ERROR / FREQUENCY_LIMITED', `${r.injected.systemError} / ${r.injected.frequencyLimited}`],
    ['  WeChat Pay answers slowed', `${r.injected.latencyAdded} (+${r.simFaults.latencyMs} ms each)`],
    ['  CloudBase writes failed', `${r.injected.writeFailures} (at least: counted per emulator process, read before each SIGKILL)`],
    ['CloudBase SIGKILL + restart', String(r.kills)],
    ['reconciliation ticks (after customers)', String(r.reconcileTicks)],
    ...fulfilmentRows(r),
    ...(r.bills ?? []).map((d): [string, string] => [`bill ${d.billDate}`, `${d.status} after ${d.runs} run(s) (${d.failedRuns} FAILED: ${d.failures.map((f) => f.injected ? `${f.code} for ${f.injected}` : f.code).join(', ') || 'none'}): ${d.matched} matched, ${d.healed} healed, ${d.discrepancies.length} discrepancies`]),
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

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function fulfilmentRows(r: ChaosReport): Array<[string, string]> {
  const f = r.fulfilment;
  if (!f) return [];
  return [
    ['fulfilment plans', Object.entries(f.plans).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'],
    ['  shipOrder requests: acknowledged / upload owed at answer', `${f.staffRequests}: ${f.acknowledged} / ${f.pendingAtAnswer}`],
    ['  refused as the rules demand (10060003 / 10060004)', String(f.refusedAsExpected)],
    ['  virtual delivered / settled / customer-confirmed / seen CONFIRMED first', `${f.virtualDelivered} / ${f.settled} / ${f.customerConfirmed} / ${f.confirmedBeforeSettlement}`],
    ['  platform faults (configured)', Object.entries(PLATFORM_FAULTS).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['  platform injected: -1 / 44990 / pushes dropped / duplicated / sent', `${f.injected.systemErrors} / ${f.injected.rateLimited} / ${f.injected.pushesDropped} / ${f.injected.pushesDuplicated} / ${f.injected.pushesSent}`],
    ['  CloudBase SIGKILL + restart while shipping', String(f.kills)],
    ['  fulfilment timer ticks / time', `${f.ticks} / ${(f.ms / 1000).toFixed(1)} s`],
    ['  shipping / uploads / confirm / settlement', `${sec(f.timings.shipMs)} / ${sec(f.timings.uploadsMs)} (${f.timings.uploadsTicks} ticks) / ${sec(f.timings.confirmMs)} / ${sec(f.timings.settleMs)} (${f.timings.settleTicks} ticks)`],
    ['  bounds: timer ticks per stage / deadline', `${f.budget.maxTicks} / ${sec(f.budget.deadlineMs)}`],
  ];
}
