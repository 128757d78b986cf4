/**
 * The protobuf messages of the cloud-call wire, decoded and encoded by hand from their layout
 * (wx-server-sdk 4.0.2 src/protobuf/openapi.js; shared notes shipping.md):
 *   CommApiData     {1 apiType int32, 2 openapiData {1 repeated KeyValuePair {1 key string, 2 value bytes}}, 6 appid string}
 *   CommOpenApiResp {1 respData bytes, 2 contentType string, 3 errorCode int32, 4 httpCode uint32}
 *   ApiOptions      {1 appid string}
 * Unknown fields are skipped by wire type, as protobuf readers do.
 */
import { invalidParam } from '../errors';

type Field = { no: number; wire: number; varint?: number; bytes?: Buffer };

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 64; i++) {
    const b = buf[i];
    if (shift < 32) value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw invalidParam('protobuf: truncated varint');
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    pos = afterTag;
    if (wire === 0) {
      const [v, p] = readVarint(buf, pos);
      out.push({ no, wire, varint: v });
      pos = p;
    } else if (wire === 2) {
      const [len, p] = readVarint(buf, pos);
      if (p + len > buf.length) throw invalidParam(`protobuf: field ${no} runs past the end of the message`);
      out.push({ no, wire, bytes: buf.subarray(p, p + len) });
      pos = p + len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw invalidParam(`protobuf: unsupported wire type ${wire} (field ${no})`);
  }
  if (pos !== buf.length) throw invalidParam('protobuf: truncated fixed-width field');
  return out;
}

/** int32 on the wire is a 64-bit two's complement varint; our reader keeps the low 32 bits. */
const toInt32 = (v: number): number => (v >>> 0) | 0;

export interface CommApiData {
  apiType: number;
  pairs: { key: string; value: Buffer }[];
  appid: string;
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const msg: CommApiData = { apiType: 0, pairs: [], appid: '' };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.wire === 0) msg.apiType = toInt32(f.varint ?? 0);
    else if (f.no === 6 && f.wire === 2) msg.appid = (f.bytes as Buffer).toString('utf8');
    else if (f.no === 2 && f.wire === 2) {
      for (const p of fields(f.bytes as Buffer)) {
        if (p.no !== 1 || p.wire !== 2) continue;
        let key = '';
        let value: Buffer = Buffer.alloc(0);
        for (const kv of fields(p.bytes as Buffer)) {
          if (kv.no === 1 && kv.wire === 2) key = (kv.bytes as Buffer).toString('utf8');
          else if (kv.no === 2 && kv.wire === 2) value = kv.bytes as Buffer;
        }
        msg.pairs.push({ key, value });
      }
    }
  }
  return msg;
}

export function decodeApiOptions(buf: Buffer): { appid: string } {
  const f = fields(buf).find((x) => x.no === 1 && x.wire === 2);
  return { appid: f ? (f.bytes as Buffer).toString('utf8') : '' };
}

function varint(n: number): Buffer {
  const out: number[] = [];
  // Negative int32 → ten-byte two's complement varint, like protobufjs.
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

const lengthDelimited = (no: number, bytes: Buffer): Buffer => Buffer.concat([varint(no * 8 + 2), varint(bytes.length), bytes]);
const varintField = (no: number, n: number): Buffer => Buffer.concat([varint(no * 8), varint(n)]);

export interface CommOpenApiResp {
  respData: Buffer;
  contentType: string;
  errorCode?: number;
  httpCode?: number;
}

export function encodeCommOpenApiResp(r: CommOpenApiResp): Buffer {
  const parts = [lengthDelimited(1, r.respData), lengthDelimited(2, Buffer.from(r.contentType, 'utf8'))];
  if (r.errorCode) parts.push(varintField(3, r.errorCode));
  if (r.httpCode !== undefined) parts.push(varintField(4, r.httpCode));
  return Buffer.concat(parts);
}
