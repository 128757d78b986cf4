// The console's /api/events stream read the way a browser's EventSource would, for the API tests.

/** Reads an SSE stream in the background; `next` waits for the next event matching `match`, and fails when the stream ends. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: any }> = [];
  let buffer = '';
  let cursor = 0;
  const pull = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the event stream ended after ${events.length} events`);
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field('event');
      if (event) events.push({ event, data: JSON.parse(field('data') ?? 'null') });
    }
  };
  return {
    /** The next unread event that matches (earlier non-matching ones are consumed). */
    async next(match: (e: { event: string; data: any }) => boolean): Promise<{ event: string; data: any }> {
      for (;;) {
        while (cursor < events.length) {
          const e = events[cursor++];
          if (match(e)) return e;
        }
        await pull();
      }
    },
    /** Consumes what has arrived so far; returns the last version seen. */
    drained(): number {
      cursor = events.length;
      return events.reduce((v, e) => (typeof e.data?.version === 'number' ? Math.max(v, e.data.version) : v), 0);
    },
  };
}
