/**
 * Reading a request body with a size limit that ends in an answer, not a connection reset: past the
 * limit the rest is read and thrown away (up to DRAIN_FACTOR × the limit), so the client is still
 * listening when the 413 goes out; only a client that keeps sending beyond that is cut off.
 */
import type { IncomingMessage } from 'node:http';

const DRAIN_FACTOR = 8;

export class BodyTooLarge extends Error {
  readonly status = 413;
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limit: number, service: string) {
    super(`${service}: request body larger than ${describeBytes(limit)}; send less (not retryable as it is)`);
    this.name = 'BodyTooLarge';
  }
}

export function describeBytes(n: number): string {
  return n >= 1 << 20 ? `${n / (1 << 20)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;
}

export function readBodyLimited(req: IncomingMessage, limit: number, service: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit * DRAIN_FACTOR) {
      // Not worth reading: answer now (the caller's reply closes the connection).
      req.pause();
      return reject(new BodyTooLarge(limit, service));
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > limit * DRAIN_FACTOR) {
          req.destroy();
          reject(new BodyTooLarge(limit, service));
        }
      } else chunks.push(c);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge(limit, service)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
