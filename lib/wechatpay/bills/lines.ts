/**
 * Bytes → lines, streaming: a chunk boundary may fall anywhere (even inside a UTF-8 character —
 * harmless, we split on the 0x0A byte, which never occurs inside a multi-byte character). The BOM
 * of the first line and a trailing `\r` (CRLF files) are dropped; a final newline is normal.
 */
export type ByteSource = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

const NEWLINE = 0x0a;
const BOM = '\ufeff';

export async function* splitLines(source: ByteSource): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  const emit = (bytes: Buffer): string => {
    let line = bytes.toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (first) {
      first = false;
      if (line.startsWith(BOM)) line = line.slice(1);
    }
    return line;
  };
  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    let start = 0;
    let at = bytes.indexOf(NEWLINE, start);
    if (at < 0) {
      carry = carry.length ? Buffer.concat([carry, bytes]) : bytes;
      continue;
    }
    yield emit(carry.length ? Buffer.concat([carry, bytes.subarray(0, at)]) : bytes.subarray(0, at));
    start = at + 1;
    while ((at = bytes.indexOf(NEWLINE, start)) >= 0) {
      yield emit(bytes.subarray(start, at));
      start = at + 1;
    }
    carry = Buffer.from(bytes.subarray(start));
  }
  if (carry.length) yield emit(carry);
}

/** A data or summary line: every value starts with a backtick; split on comma + backtick. */
export function splitValues(line: string): string[] | undefined {
  if (!line.startsWith('`')) return undefined;
  return line.slice(1).split(',`');
}
