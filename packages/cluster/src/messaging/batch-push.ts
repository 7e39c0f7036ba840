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

/**
 * Server metadata a pitaya-ts frontend advertises when it also takes {@link MULTI_PUSH_ROUTE}: several
 * batched pushes (different routes and bodies) in one call. A backend coalesces the batches it sends
 * to one frontend within one turn of its event loop into one such call, so a room with many broadcasts
 * in flight costs that frontend one RPC per turn instead of one per broadcast. Advertised beside
 * {@link BATCH_PUSH_METADATA_KEY}, so a backend that predates it keeps using `sys.pushusers`.
 */
export const MULTI_PUSH_METADATA_KEY = 'pitaya-ts-multi-push';
/**
 * Layout version of {@link MULTI_PUSH_ROUTE}; a sender uses it only with a frontend advertising exactly
 * this. `2`: each distinct uid list once, referenced by the pushes (`1` repeated the list in every push;
 * a backend that speaks only `1` sends a `2` frontend `sys.pushusers` instead).
 */
export const MULTI_PUSH_VERSION = '2';
/** The `sys` route of several batched pushes in one call (pitaya-ts only). */
export const MULTI_PUSH_ROUTE = 'sys.pushusersmulti';
/** Most pushes in one multi push; a turn with more is split over several calls. */
export const MULTI_PUSH_MAX_PUSHES = 256;
/**
 * Most deliveries in one multi push: uids summed over its pushes, a list shared by several pushes
 * counted once per push (each push also stays within {@link BATCH_PUSH_MAX_UIDS}). Bounds the work one
 * call costs a frontend.
 */
export const MULTI_PUSH_MAX_UIDS = 32_000;

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

/**
 * Several batched pushes for one frontend. Layout (big-endian): `u16 listCount`, then per uid list
 * `u16 uidCount, uidCount × (u16 uidLen, uid)`; `u16 pushCount`, then per push `u16 routeLen, route,
 * u16 listIndex, u32 dataLen, data`. The broadcasts of one room in one turn go to the same members:
 * their list is encoded and decoded once, and the decoded pushes share one array, which tells the
 * frontend it may hand each member the run of pushes in one write.
 */
export function encodeMultiPush(pushes: readonly BatchPush[]): Uint8Array {
  if (pushes.length === 0 || pushes.length > MULTI_PUSH_MAX_PUSHES) throw new RangeError('a multi push carries 1 to MULTI_PUSH_MAX_PUSHES pushes');
  const lists: (readonly string[])[] = [];
  const listOf = new Array<number>(pushes.length);
  // Lists by length, first and last uid: a candidate is compared in full only when those match.
  const byKey = new Map<string, number[]>();
  let size = 2 + 2;
  let uids = 0;
  for (let i = 0; i < pushes.length; i++) {
    const push = pushes[i]!;
    if (push.uids.length > BATCH_PUSH_MAX_UIDS) throw new RangeError('too many uids in one batched push');
    uids += push.uids.length;
    size += 2 + Buffer.byteLength(push.route, 'utf8') + 2 + 4 + push.data.byteLength;
    const previous = i > 0 ? listOf[i - 1]! : -1;
    if (previous >= 0 && sameUids(lists[previous]!, push.uids)) {
      listOf[i] = previous;
      continue;
    }
    const key = `${push.uids.length}\u0000${push.uids[0] ?? ''}\u0000${push.uids[push.uids.length - 1] ?? ''}`;
    let candidates = byKey.get(key);
    const found = candidates?.find((index) => sameUids(lists[index]!, push.uids));
    if (found !== undefined) {
      listOf[i] = found;
      continue;
    }
    if (candidates === undefined) byKey.set(key, (candidates = []));
    candidates.push(lists.length);
    listOf[i] = lists.length;
    lists.push(push.uids);
    size += 2;
    for (const uid of push.uids) size += 2 + Buffer.byteLength(uid, 'utf8');
  }
  if (uids > MULTI_PUSH_MAX_UIDS) throw new RangeError('too many uids in one multi push');
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt16BE(lists.length, 0);
  for (const list of lists) at = writeStrings(out, out.writeUInt16BE(list.length, at), list);
  at = out.writeUInt16BE(pushes.length, at);
  for (let i = 0; i < pushes.length; i++) {
    const push = pushes[i]!;
    at = writeStrings(out, at, [push.route]);
    at = out.writeUInt16BE(listOf[i]!, at);
    at = out.writeUInt32BE(push.data.byteLength, at);
    out.set(push.data, at);
    at += push.data.byteLength;
  }
  return out;
}

function sameUids(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses a multi push; PIT-400 when it is not one (counts, indexes and lengths are checked against the
 * bytes and the bounds). Pushes to the same list share one `uids` array.
 */
export function decodeMultiPush(body: Uint8Array): BatchPush[] {
  const buf = asBuffer(body);
  if (buf.length < 2) throw badRequest('invalid multi push');
  const listCount = buf.readUInt16BE(0);
  // Every list is used by a push at least once, so there are never more lists than pushes.
  if (listCount === 0 || listCount > MULTI_PUSH_MAX_PUSHES) throw badRequest('invalid multi push');
  const reader = { at: 2 };
  const lists = new Array<string[]>(listCount);
  let distinct = 0;
  for (let i = 0; i < listCount; i++) {
    const list = readStrings(buf, reader);
    if (list === undefined || (distinct += list.length) > MULTI_PUSH_MAX_UIDS) throw badRequest('invalid multi push');
    lists[i] = list;
  }
  if (reader.at + 2 > buf.length) throw badRequest('invalid multi push');
  const count = buf.readUInt16BE(reader.at);
  reader.at += 2;
  if (count === 0 || count > MULTI_PUSH_MAX_PUSHES || count < listCount) throw badRequest('invalid multi push');
  const pushes: BatchPush[] = [];
  let uids = 0;
  for (let i = 0; i < count; i++) {
    const route = readString(buf, reader);
    if (route === undefined || reader.at + 6 > buf.length) throw badRequest('invalid multi push');
    const members = lists[buf.readUInt16BE(reader.at)];
    const dataLen = buf.readUInt32BE(reader.at + 2);
    const start = reader.at + 6;
    if (members === undefined || (uids += members.length) > MULTI_PUSH_MAX_UIDS || start + dataLen > buf.length) throw badRequest('invalid multi push');
    reader.at = start + dataLen;
    pushes.push({ route, data: buf.subarray(start, reader.at), uids: members });
  }
  if (reader.at !== buf.length) throw badRequest('invalid multi push');
  return pushes;
}

/** The reply: `u16 count`, then per push (in order) `u16 failedCount, failedCount × (u16 len, uid)`. */
export function encodeMultiPushReply(failed: readonly (readonly string[])[]): Uint8Array {
  let size = 2;
  for (const list of failed) {
    size += 2;
    for (const uid of list) size += 2 + Buffer.byteLength(uid, 'utf8');
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt16BE(failed.length, 0);
  for (const list of failed) at = writeStrings(out, out.writeUInt16BE(list.length, at), list);
  return out;
}

/** Per push of the request, the uids not delivered; throws unless the reply answers exactly `count` pushes. */
export function decodeMultiPushReply(reply: Uint8Array, count: number): string[][] {
  const buf = asBuffer(reply);
  if (buf.length < 2 || buf.readUInt16BE(0) !== count) throw new Error('invalid multi push reply');
  const reader = { at: 2 };
  const failed: string[][] = [];
  for (let i = 0; i < count; i++) {
    const list = readStrings(buf, reader);
    if (list === undefined) throw new Error('invalid multi push reply');
    failed.push(list);
  }
  if (reader.at !== buf.length) throw new Error('invalid multi push reply');
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
