/**
 * A JSON reader that remembers where each value starts, so an error about a hand-written file
 * (the seed file) can name its line. Strict JSON (RFC 8259); a duplicate key is an error too, since
 * JSON.parse would silently keep the last one.
 */
export interface Located {
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  line: number;
  value?: unknown;
  fields?: Record<string, Located>;
  items?: Located[];
}

export function parseWithLines(text: string): Located {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (what: string): never => {
    throw new Error(`line ${line}, column ${i - lineStart + 1}: ${what}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        line++;
        lineStart = i + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      i++;
    }
  };
  const literal = (word: string, value: unknown, kind: Located['kind']): Located => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return { kind, line, value };
    }
    return fail(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
  };
  const str = (): string => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) fail('bad string (unterminated, a raw control character, or a bad escape)');
    i += m![0].length;
    return JSON.parse(m![0]) as string;
  };
  const value = (): Located => {
    ws();
    const at = line;
    const c = text[i];
    if (c === '{') {
      i++;
      const fields: Record<string, Located> = {};
      ws();
      if (text[i] === '}') return i++, { kind: 'object', line: at, fields };
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "key"');
        const key = str();
        if (key in fields) fail(`duplicate key "${key}"`);
        ws();
        if (text[i] !== ':') fail(`expected ":" after "${key}"`);
        i++;
        fields[key] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, { kind: 'object', line: at, fields };
        else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: Located[] = [];
      ws();
      if (text[i] === ']') return i++, { kind: 'array', line: at, items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, { kind: 'array', line: at, items };
        else fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'string', line: at, value: str() };
    if (c === 't') return literal('true', true, 'boolean');
    if (c === 'f') return literal('false', false, 'boolean');
    if (c === 'n') return literal('null', null, 'null');
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail(i >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[i])}`);
    i += m[0].length;
    return { kind: 'number', line: at, value: Number(m[0]) };
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root;
}
