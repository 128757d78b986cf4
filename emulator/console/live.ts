/**
 * Live updates: while at least one browser listens on /api/events (Server-Sent Events), the console
 * polls a cheap fingerprint of the stack through the same upstream interfaces and sends `change`
 * when it moves. Pages then refetch what they show. Nobody listening → no polling.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface Live {
  /** Take over an HTTP response as an SSE stream. */
  subscribe(res: ServerResponse): void;
  /** Check now (after an action) rather than at the next tick. */
  poke(): void;
  close(): void;
}

/**
 * `fingerprint` names its parts (e.g. {counts, orders, ledger}); a `change` event says which of
 * them moved, so a listener (or a test) can tell what an event is about.
 */
export function createLive(fingerprint: () => Promise<Record<string, unknown>>, intervalMs = 400): Live {
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  let last: Record<string, string> = {};
  let version = 0;
  let busy = false;

  const broadcast = (event: string, data: unknown): void => {
    for (const res of clients) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const parts = await fingerprint();
      const digests = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, createHash('sha1').update(JSON.stringify(v) ?? '').digest('hex')]));
      const changed = Object.keys(digests).filter((k) => digests[k] !== last[k]);
      if (changed.length > 0) {
        last = digests;
        broadcast('change', { version: ++version, changed });
      }
    } catch (err) {
      // The stack may be restarting; say so, keep polling.
      broadcast('upstream-error', { message: (err as Error).message });
    } finally {
      busy = false;
    }
  };
  const stopIfIdle = (): void => {
    if (clients.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    subscribe(res) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ version })}\n\n`);
      clients.add(res);
      res.on('close', () => {
        clients.delete(res);
        stopIfIdle();
      });
      if (!timer) {
        timer = setInterval(() => void tick(), intervalMs);
        timer.unref();
      }
    },
    poke: () => void tick(),
    close() {
      for (const res of clients) res.end();
      clients.clear();
      stopIfIdle();
    },
  };
}
