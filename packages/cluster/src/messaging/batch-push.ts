import { badRequest } from '@pitaya-ts/core';

/**
 * Server metadata a pitaya-ts frontend advertises when it takes {@link BATCH_PUSH_ROUTE}: a push to
 * many users of one frontend in one call. Go Pitaya frontends do not advertise it, so they keep
 * getting one `PushToUser` per user, the only message they understand.
 */
export const BATCH_PUSH_METADATA_KEY = 'pitaya-ts-batch-push';
/**
 * Version of the batched push layout. `2`: the binary layout below (`1` was JSON with a base64 body).
 * A sender uses the batch only with a frontend advertising exactly this version; any other frontend
 * (older, newer, Go) gets one `PushToUser` per user, so a rolling upgrade never mixes layouts.
 */
export const BATCH_PUSH_VERSION = '2';

/** The `sys` route of the batched push (pitaya-ts only; negotiated through {@link BATCH_PUSH_METADATA_KEY}). */
export const BATCH_PUSH_ROUTE = 'sys.pushusers';

/** Most uids in one batched push; larger fan-outs are split. */
export const BATCH_PUSH_MAX_UIDS = 1000;

/** Longest route or uid, in UTF-8 bytes (each is length-prefixed with a u16). */
const MAX_STRING_BYTES = 0xffff;

/** A push to several users of one frontend: the route, the body serialized once, the uids. */
export interface BatchPush {
  readonly route: string;
  readonly data: Uint8Array;
  readonly uids: readonly string[];
}

/**
 * Layout (big-endian): `u16 routeLen, route, u16 uidCount, uidCount × (u16 uidLen, uid), data…`
 * (the body is the rest). Built once per frontend per broadcast into one buffer: no JSON, no base64.
 */
export function encodeBatchPush(push: BatchPush): Uint8Array {
  const routeLen = Buffer.byteLength(push.route, 'utf8');
  if (routeLen > MAX_STRING_BYTES) throw new RangeError('batched push route too long');
  if (push.uids.length > BATCH_PUSH_MAX_UIDS) throw new RangeError('too many uids in one batched push');
  let size = 2 + routeLen + 2 + push.data.byteLength;
  for (const uid of push.uids) size += 2 + Buffer.byteLength(uid, 'utf8');
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt16BE(routeLen, 0);
  at += out.write(push.route, at, 'utf8');
  at = out.writeUInt16BE(push.uids.length, at);
  at = writeStrings(out, at, push.uids);
  out.set(push.data, at);
  return out;
}

/** Parses a batched push; PIT-400 when it is not one (never trusts the peer's lengths). */
export function decodeBatchPush(body: Uint8Array): BatchPush {
  const buf = asBuffer(body);
  const reader = { at: 0 };
  const route = readString(buf, reader);
  const uids = readStrings(buf, reader);
  if (route === undefined || uids === undefined) throw badRequest('invalid batched push');
  return { route, data: buf.subarray(reader.at), uids };
}

/** The reply: `u16 count, count × (u16 len, uid)`, the uids not delivered. */
export function encodeBatchPushReply(failed: readonly string[]): Uint8Array {
  let size = 2;
  for (const uid of failed) size += 2 + Buffer.byteLength(uid, 'utf8');
  const out = Buffer.allocUnsafe(size);
  writeStrings(out, out.writeUInt16BE(failed.length, 0), failed);
  return out;
}

export function decodeBatchPushReply(reply: Uint8Array): string[] {
  const buf = asBuffer(reply);
  const reader = { at: 0 };
  const failed = readStrings(buf, reader);
  if (failed === undefined || reader.at !== buf.length) throw new Error('invalid batched push reply');
  return failed;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function writeStrings(out: Buffer, at: number, values: readonly string[]): number {
  for (const value of values) {
    const len = out.write(value, at + 2, 'utf8');
    if (len > MAX_STRING_BYTES) throw new RangeError('uid too long for a batched push');
    out.writeUInt16BE(len, at);
    at += 2 + len;
  }
  return at;
}

function readString(buf: Buffer, reader: { at: number }): string | undefined {
  if (reader.at + 2 > buf.length) return undefined;
  const len = buf.readUInt16BE(reader.at);
  const start = reader.at + 2;
  if (start + len > buf.length) return undefined;
  reader.at = start + len;
  return buf.toString('utf8', start, start + len);
}

/** `u16 count` then the strings; undefined when the count is over {@link BATCH_PUSH_MAX_UIDS} or a length runs past the end. */
function readStrings(buf: Buffer, reader: { at: number }): string[] | undefined {
  if (reader.at + 2 > buf.length) return undefined;
  const count = buf.readUInt16BE(reader.at);
  // Each uid takes at least its 2-byte length: a count the bytes cannot hold is refused before allocating.
  if (count > BATCH_PUSH_MAX_UIDS || reader.at + 2 + count * 2 > buf.length) return undefined;
  reader.at += 2;
  const values = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const value = readString(buf, reader);
    if (value === undefined) return undefined;
    values[i] = value;
  }
  return values;
}
