/**
 * Resolves once the WeChat Pay simulator has finished the refunds asked of it so far. A refund
 * finishes refundDelaySeconds / timeScale after it was asked for; settled() with that horizon waits
 * for exactly those. The default 1 s horizon also waits out every notification retry due within a
 * second of the last one: for a notify_url nobody receives, 0.84 s of the compressed schedule
 * (15 s, 15 s, 30 s, 3 min, 10 min at timeScale 1000), and several seconds once a few are queued.
 */
import type { SimState } from '../../emulator/wechat/state';

/** Past the refund's due time: its completion commits and queues its notification. */
const SLACK_MS = 50;

export function refundsFinished(state: Pick<SimState, 'settled' | 'refundDelaySeconds' | 'timeScale'>): Promise<void> {
  return state.settled((state.refundDelaySeconds * 1000) / state.timeScale + SLACK_MS);
}
