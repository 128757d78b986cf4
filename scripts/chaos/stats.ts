/** Counts what the simulator's delivery log says happened to notifications (exact, not sampled). */
export interface NotificationStats {
  deliveries: number;
  attempts: number;
  copiesSent: number;
  dropped: number;
  duplicated: number;
  probes: number;
  rejected: number;
  /** payNotify did not answer within the simulator's delivery timeout (5 s), or the emulator was down. */
  timedOut: number;
  networkErrors: number;
  delivered: number;
  gaveUp: number;
}

interface AttemptLike {
  outcome: string;
  statuses: number[];
  probe?: unknown;
}

export function notificationStats(deliveries: Array<{ state: string; attempts: AttemptLike[] }>): NotificationStats {
  const s: NotificationStats = { deliveries: deliveries.length, attempts: 0, copiesSent: 0, dropped: 0, duplicated: 0, probes: 0, rejected: 0, timedOut: 0, networkErrors: 0, delivered: 0, gaveUp: 0 };
  for (const d of deliveries) {
    if (d.state === 'delivered') s.delivered += 1;
    if (d.state === 'gave_up') s.gaveUp += 1;
    for (const a of d.attempts) {
      s.attempts += 1;
      s.copiesSent += a.statuses.length;
      s.duplicated += Math.max(0, a.statuses.length - 1);
      if (a.outcome === 'dropped') s.dropped += 1;
      if (a.outcome === 'rejected') s.rejected += 1;
      if (a.outcome === 'timeout') s.timedOut += 1;
      if (a.outcome === 'network_error') s.networkErrors += 1;
      if (a.probe) s.probes += 1;
    }
  }
  return s;
}
