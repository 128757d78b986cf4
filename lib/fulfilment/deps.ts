/** What the fulfilment logic needs from outside, passed in (the same code runs in functions and tests). */
import type { Logger } from '../log';
import type { MiniPlatform } from '../platform/apis';
import type { Database } from '../store/db';

export interface FulfilmentDeps {
  db: Database;
  platform: MiniPlatform;
  /** Our mchid: the order key WeChat knows our payments by (mchid + out_trade_no). */
  mchid: string;
  staffOpenids: ReadonlySet<string>;
  /** The timer leaves an order alone this long after its last step or check (default 600 s). */
  checkMinAgeSeconds: number;
  /** An owed upload is sent again by the timer once it is this old (default 60 s: never racing the staff's own call). */
  outboxMinAgeSeconds: number;
  now: () => number;
  log: Logger;
}
