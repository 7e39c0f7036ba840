import { createProtoCodec, type ProtoCodec } from './proto-codec';
import type { ProtoLocationOptions } from './proto-files';
import type { PitayaRequest, PitayaResponse, ProtoError, ProtoInit, ProtoMsg, ProtoSession } from './proto-types';

/*
 * Static codecs for the messages of every forwarded request (`protos.Request` with its `Session` and `Msg`,
 * `protos.Response` with its `Error`), hand-written from `proto/request.proto`, `session.proto`, `msg.proto`,
 * `response.proto` and `error.proto` (a unit test checks this layout against the loaded `.proto` files).
 *
 * Why hand-written on a raw Buffer rather than protobufjs's `Writer`/`Reader` or generated code: the
 * reflection codec (`stripDefaults`, `verify`, `fromObject`, `encode`, then `toObject`) built several objects
 * per message, and protobufjs's `Writer` itself allocates one list node per written field and one state per
 * nested message. Here encoding is two passes (sizes, then one `Buffer.allocUnsafe` and the writes) and
 * decoding one pass that builds only the result objects. Five small messages do not justify a code generator.
 *
 * Bytes are those of the reflection codec (itself byte-identical to Go): fields in number order, a proto3
 * default never written, a present sub-message written even when empty. An input the fast path does not
 * handle (a wrongly typed field, an out-of-range enum, an id that is negative or beyond 2^53, bytes given
 * as base64 text, ...) goes to the reflection codec, which encodes it as before or throws as before. The
 * one deliberate difference: a string with a lone UTF-16 surrogate is written with U+FFFD (as `Buffer`
 * does) where protobufjs wrote invalid UTF-8 that Go rejects; well-formed strings are identical.
 *
 * Decoding gives the same shapes as the reflection codec (scalars default-filled, absent sub-messages
 * missing, bytes as Buffer views of the input) and is safe on hostile input: every length is checked
 * against the enclosing message, varints longer than 10 bytes, field number 0, end-group without start
 * and wire types 6/7 throw, nested groups are bounded; unknown fields are skipped as protobuf requires
 * (a known field number with an unexpected wire type is treated as unknown, as Go does).
 */

const EMPTY: Buffer = Buffer.alloc(0);
const TWO_POW_32 = 4294967296;
/** Deepest nesting of unknown groups we skip (Go's own recursion limit is higher, but groups are dead). */
const MAX_GROUP_DEPTH = 64;

// Tags (field number << 3 | wire type) of the fields we read and write.
const T_VARINT_1 = 0x08;
const T_LEN_1 = 0x0a;
const T_LEN_2 = 0x12;
const T_LEN_3 = 0x1a;
const T_LEN_4 = 0x22;
const T_LEN_5 = 0x2a;
const T_VARINT_5 = 0x28;

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** A non-negative safe integer: what the fast path writes as a varint. */
function isVarint(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  v = Math.floor(v / 0x10000000);
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n + 1;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  if (v <= 0x7fffffff) {
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
  } else {
    while (v > 0x7f) {
      buf[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
  }
  buf[pos++] = v;
  return pos;
}

/** Size of a length-delimited field (one-byte tag) whose payload is `len` bytes. */
const lenFieldSize = (len: number): number => 1 + varintSize(len) + len;

/** Strings up to this many UTF-16 units are measured and written by a JS loop (cheaper than a native call). */
const SHORT_STRING = 64;

/** UTF-8 byte length of `s`. Routes, ids and error codes are short ASCII: counted without a native call. */
function utf8Length(s: string): number {
  const n = s.length;
  if (n > SHORT_STRING) return Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return n;
}

function writeString(buf: Buffer, pos: number, tag: number, s: string, byteLen: number): number {
  buf[pos++] = tag;
  pos = writeVarint(buf, pos, byteLen);
  const n = s.length;
  if (byteLen === n && n <= SHORT_STRING) {
    // ASCII (byte length equals UTF-16 length only when every unit is below 0x80).
    for (let i = 0; i < n; i++) buf[pos + i] = s.charCodeAt(i);
    return pos + n;
  }
  return pos + buf.write(s, pos, byteLen, 'utf8');
}

function writeBytes(buf: Buffer, pos: number, tag: number, bytes: Uint8Array): number {
  buf[pos++] = tag;
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

// Byte lengths found by the size pass and reused by the write pass. Encoding is synchronous and never
// re-entered (it calls no user code), so module-level scratch is safe and saves an object per message.
let sessionUidLen = 0;
let msgRouteLen = 0;
let msgReplyLen = 0;
let errorCodeLen = 0;
let errorMsgLen = 0;

/** Marker: the value needs the reflection codec. */
const SLOW = -1;

function sessionSize(s: ProtoInit<ProtoSession>): number {
  let n = 0;
  const { id, uid, data } = s;
  if (id != null) {
    if (!isVarint(id)) return SLOW; // negative int64s are 10-byte varints: rare, left to the reflection codec
    if (id !== 0) n += 1 + varintSize(id);
  }
  sessionUidLen = 0;
  if (uid != null) {
    if (typeof uid !== 'string') return SLOW;
    if (uid.length !== 0) n += lenFieldSize((sessionUidLen = utf8Length(uid)));
  }
  if (data != null) {
    if (!(data instanceof Uint8Array)) return SLOW;
    if (data.length !== 0) n += lenFieldSize(data.length);
  }
  return n;
}

function writeSession(s: ProtoInit<ProtoSession>, buf: Buffer, pos: number): number {
  const { id, uid, data } = s;
  if (id) {
    buf[pos++] = T_VARINT_1;
    pos = writeVarint(buf, pos, id);
  }
  if (sessionUidLen !== 0) pos = writeString(buf, pos, T_LEN_2, uid!, sessionUidLen);
  if (data != null && data.length !== 0) pos = writeBytes(buf, pos, T_LEN_3, data);
  return pos;
}

function msgSize(m: ProtoInit<ProtoMsg>): number {
  let n = 0;
  const { id, route, data, reply, type } = m;
  if (id != null) {
    if (!isVarint(id)) return SLOW;
    if (id !== 0) n += 1 + varintSize(id);
  }
  msgRouteLen = 0;
  if (route != null) {
    if (typeof route !== 'string') return SLOW;
    if (route.length !== 0) n += lenFieldSize((msgRouteLen = utf8Length(route)));
  }
  if (data != null) {
    if (!(data instanceof Uint8Array)) return SLOW;
    if (data.length !== 0) n += lenFieldSize(data.length);
  }
  msgReplyLen = 0;
  if (reply != null) {
    if (typeof reply !== 'string') return SLOW;
    if (reply.length !== 0) n += lenFieldSize((msgReplyLen = utf8Length(reply)));
  }
  if (type != null) {
    if (type === 1 || type === 2 || type === 3) n += 2;
    else if (type !== 0) return SLOW; // the reflection codec rejects values outside the enum
  }
  return n;
}

function writeMsg(m: ProtoInit<ProtoMsg>, buf: Buffer, pos: number): number {
  const { id, route, data, reply, type } = m;
  if (id) {
    buf[pos++] = T_VARINT_1;
    pos = writeVarint(buf, pos, id);
  }
  if (msgRouteLen !== 0) pos = writeString(buf, pos, T_LEN_2, route!, msgRouteLen);
  if (data != null && data.length !== 0) pos = writeBytes(buf, pos, T_LEN_3, data);
  if (msgReplyLen !== 0) pos = writeString(buf, pos, T_LEN_4, reply!, msgReplyLen);
  if (type) {
    buf[pos++] = T_VARINT_5;
    buf[pos++] = type;
  }
  return pos;
}

let requestSessionLen = 0;
let requestMsgLen = 0;
let requestFrontendLen = 0;

/** Size of `protos.Request`, or {@link SLOW}; leaves the sub-messages' sizes in the scratch above. */
function requestSize(r: ProtoInit<PitayaRequest>): number {
  let n = 0;
  const { type, session, msg, frontendID, metadata } = r;
  if (type != null) {
    if (type === 1) n += 2;
    else if (type !== 0) return SLOW;
  }
  if (session != null) {
    if (typeof session !== 'object') return SLOW;
    requestSessionLen = sessionSize(session);
    if (requestSessionLen === SLOW) return SLOW;
    n += lenFieldSize(requestSessionLen);
  }
  if (msg != null) {
    if (typeof msg !== 'object') return SLOW;
    requestMsgLen = msgSize(msg);
    if (requestMsgLen === SLOW) return SLOW;
    n += lenFieldSize(requestMsgLen);
  }
  requestFrontendLen = 0;
  if (frontendID != null) {
    if (typeof frontendID !== 'string') return SLOW;
    if (frontendID.length !== 0) n += lenFieldSize((requestFrontendLen = utf8Length(frontendID)));
  }
  if (metadata != null) {
    if (!(metadata instanceof Uint8Array)) return SLOW;
    if (metadata.length !== 0) n += lenFieldSize(metadata.length);
  }
  return n;
}

function encodeRequestFast(r: ProtoInit<PitayaRequest>): Buffer | undefined {
  const size = requestSize(r);
  if (size === SLOW) return undefined;
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  const { type, session, msg, frontendID, metadata } = r;
  if (type) {
    buf[pos++] = T_VARINT_1;
    buf[pos++] = type;
  }
  if (session != null) {
    buf[pos++] = T_LEN_2;
    pos = writeVarint(buf, pos, requestSessionLen);
    pos = writeSession(session, buf, pos);
  }
  if (msg != null) {
    buf[pos++] = T_LEN_3;
    pos = writeVarint(buf, pos, requestMsgLen);
    pos = writeMsg(msg, buf, pos);
  }
  if (requestFrontendLen !== 0) pos = writeString(buf, pos, T_LEN_4, frontendID!, requestFrontendLen);
  if (metadata != null && metadata.length !== 0) pos = writeBytes(buf, pos, T_LEN_5, metadata);
  return checkedSize(buf, pos);
}

/** The map's payload size, or {@link SLOW} (a non-string value, or a `__proto__` key the reflection codec drops). */
function errorMetadataSize(metadata: object): number {
  let n = 0;
  for (const key of Object.keys(metadata)) {
    const value: unknown = (metadata as Record<string, unknown>)[key];
    if (typeof value !== 'string' || key === '__proto__') return SLOW;
    n += lenFieldSize(mapEntrySize(key, value));
  }
  return n;
}

// protobufjs writes both the key and the value of every entry, even empty ones; so do we.
const mapEntrySize = (key: string, value: string): number =>
  lenFieldSize(utf8Length(key)) + lenFieldSize(utf8Length(value));

function errorSize(e: ProtoInit<ProtoError>): number {
  let n = 0;
  const { code, msg, metadata } = e;
  errorCodeLen = 0;
  if (code != null) {
    if (typeof code !== 'string') return SLOW;
    if (code.length !== 0) n += lenFieldSize((errorCodeLen = utf8Length(code)));
  }
  errorMsgLen = 0;
  if (msg != null) {
    if (typeof msg !== 'string') return SLOW;
    if (msg.length !== 0) n += lenFieldSize((errorMsgLen = utf8Length(msg)));
  }
  if (metadata != null) {
    if (typeof metadata !== 'object') return SLOW;
    const m = errorMetadataSize(metadata);
    if (m === SLOW) return SLOW;
    n += m;
  }
  return n;
}

function writeError(e: ProtoInit<ProtoError>, buf: Buffer, pos: number): number {
  const { code, msg, metadata } = e;
  if (errorCodeLen !== 0) pos = writeString(buf, pos, T_LEN_1, code!, errorCodeLen);
  if (errorMsgLen !== 0) pos = writeString(buf, pos, T_LEN_2, msg!, errorMsgLen);
  if (metadata != null) {
    for (const key of Object.keys(metadata)) {
      const value = (metadata as Record<string, string>)[key]!;
      const keyLen = utf8Length(key);
      const valueLen = utf8Length(value);
      buf[pos++] = T_LEN_3;
      pos = writeVarint(buf, pos, lenFieldSize(keyLen) + lenFieldSize(valueLen));
      pos = writeString(buf, pos, T_LEN_1, key, keyLen);
      pos = writeString(buf, pos, T_LEN_2, value, valueLen);
    }
  }
  return pos;
}

function encodeResponseFast(r: ProtoInit<PitayaResponse>): Buffer | undefined {
  const { data, error } = r;
  let size = 0;
  if (data != null) {
    if (!(data instanceof Uint8Array)) return undefined;
    if (data.length !== 0) size += lenFieldSize(data.length);
  }
  let errorLen = 0;
  if (error != null) {
    if (typeof error !== 'object') return undefined;
    errorLen = errorSize(error);
    if (errorLen === SLOW) return undefined;
    size += lenFieldSize(errorLen);
  }
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  if (data != null && data.length !== 0) pos = writeBytes(buf, pos, T_LEN_1, data);
  if (error != null) {
    buf[pos++] = T_LEN_2;
    pos = writeVarint(buf, pos, errorLen);
    pos = writeError(error, buf, pos);
  }
  return checkedSize(buf, pos);
}

function encodeSessionFast(s: ProtoInit<ProtoSession>): Buffer | undefined {
  const size = sessionSize(s);
  if (size === SLOW) return undefined;
  const buf = Buffer.allocUnsafe(size);
  return checkedSize(buf, writeSession(s, buf, 0));
}

function encodeMsgFast(m: ProtoInit<ProtoMsg>): Buffer | undefined {
  const size = msgSize(m);
  if (size === SLOW) return undefined;
  const buf = Buffer.allocUnsafe(size);
  return checkedSize(buf, writeMsg(m, buf, 0));
}

function encodeErrorFast(e: ProtoInit<ProtoError>): Buffer | undefined {
  const size = errorSize(e);
  if (size === SLOW) return undefined;
  const buf = Buffer.allocUnsafe(size);
  return checkedSize(buf, writeError(e, buf, 0));
}

// The size pass and the write pass must agree; a mismatch would send uninitialised memory, so it is
// checked (one comparison) rather than trusted. It can only happen if an input object changes between
// the passes (a getter), which the reflection codec then handles.
function checkedSize(buf: Buffer, written: number): Buffer | undefined {
  return written === buf.length ? buf : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

type NodeBuffer = Buffer & { utf8Slice?: (start: number, end: number) => string };

// Buffer's own utf8Slice skips toString's argument handling (protobufjs uses it too); toString otherwise.
function utf8Slice(buf: NodeBuffer, from: number, to: number): string {
  return buf.utf8Slice !== undefined ? buf.utf8Slice(from, to) : buf.toString('utf8', from, to);
}

/** Reads one message's bytes; every read is bounded by `end` (the enclosing message's end). */
class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  /** Low 32 bits of a varint (tags, lengths, enums), unsigned. At most 10 bytes. */
  varint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= end) throw new RangeError(`truncated varint at offset ${pos}`);
      const b = buf[pos++]!;
      if (shift < 32) value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new RangeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** A 64-bit varint as a number (exact up to 2^53), signed (`int64`) or unsigned (`uint64`), as protobufjs's `LongBits.toNumber`. */
  varint64(end: number, signed: boolean): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new RangeError(`truncated varint at offset ${pos}`);
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        lo >>>= 0;
        hi >>>= 0;
        if (signed && hi >>> 31) {
          // Two's complement, as LongBits.toNumber(false).
          let nlo = (~lo + 1) >>> 0;
          let nhi = ~hi >>> 0;
          if (nlo === 0) nhi = (nhi + 1) >>> 0;
          nlo >>>= 0;
          return -(nlo + nhi * TWO_POW_32);
        }
        return lo + hi * TWO_POW_32;
      }
    }
    throw new RangeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** The end offset of a length-delimited payload starting here, checked against `end`. */
  delimited(end: number): number {
    // Read as 64 bits so that a huge length is not mistaken for its low 32 bits.
    const len = this.varint64(end, false);
    if (len > end - this.pos) throw new RangeError(`length ${len} at offset ${this.pos} exceeds the message`);
    return this.pos + len;
  }

  string(end: number): string {
    const to = this.delimited(end);
    const from = this.pos;
    this.pos = to;
    return from === to ? '' : utf8Slice(this.buf, from, to);
  }

  bytes(end: number): Buffer {
    const to = this.delimited(end);
    const from = this.pos;
    this.pos = to;
    return from === to ? EMPTY : this.buf.subarray(from, to);
  }

  /** Skips the value of an unknown field (`tag` already read). */
  skip(tag: number, end: number): void {
    if (tag >>> 3 === 0) throw new RangeError(`invalid field number 0 at offset ${this.pos}`);
    const wireType = tag & 7;
    if (wireType !== 3) {
      this.skipValue(wireType, end);
      return;
    }
    // A group: skip its fields up to the matching end-group, nested groups bounded.
    let depth = 1;
    while (depth > 0) {
      const inner = this.varint32(end);
      if (inner >>> 3 === 0) throw new RangeError(`invalid field number 0 at offset ${this.pos}`);
      const type = inner & 7;
      if (type === 3) {
        if (++depth > MAX_GROUP_DEPTH) throw new RangeError('groups nested too deep');
      } else if (type === 4) depth--;
      else this.skipValue(type, end);
    }
  }

  private skipValue(wireType: number, end: number): void {
    switch (wireType) {
      case 0:
        this.varint32(end);
        return;
      case 1:
        this.advance(8, end);
        return;
      case 2:
        this.pos = this.delimited(end);
        return;
      case 5:
        this.advance(4, end);
        return;
      default:
        throw new RangeError(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private advance(n: number, end: number): void {
    if (n > end - this.pos) throw new RangeError(`truncated field at offset ${this.pos}`);
    this.pos += n;
  }
}

function readSession(c: Cursor, end: number): ProtoSession {
  let id = 0;
  let uid = '';
  let data: Buffer = EMPTY;
  while (c.pos < end) {
    const tag = c.varint32(end);
    switch (tag) {
      case T_VARINT_1:
        id = c.varint64(end, true);
        break;
      case T_LEN_2:
        uid = c.string(end);
        break;
      case T_LEN_3:
        data = c.bytes(end);
        break;
      default:
        c.skip(tag, end);
    }
  }
  return { id, uid, data };
}

function readMsg(c: Cursor, end: number): ProtoMsg {
  let id = 0;
  let route = '';
  let data: Buffer = EMPTY;
  let reply = '';
  let type = 0;
  while (c.pos < end) {
    const tag = c.varint32(end);
    switch (tag) {
      case T_VARINT_1:
        id = c.varint64(end, false);
        break;
      case T_LEN_2:
        route = c.string(end);
        break;
      case T_LEN_3:
        data = c.bytes(end);
        break;
      case T_LEN_4:
        reply = c.string(end);
        break;
      case T_VARINT_5:
        type = c.varint32(end) | 0;
        break;
      default:
        c.skip(tag, end);
    }
  }
  return { id, route, data, reply, type: type as ProtoMsg['type'] };
}

function readRequest(c: Cursor, end: number): PitayaRequest {
  let type = 0;
  let session: ProtoSession | undefined;
  let msg: ProtoMsg | undefined;
  let frontendID = '';
  let metadata: Buffer = EMPTY;
  while (c.pos < end) {
    const tag = c.varint32(end);
    switch (tag) {
      case T_VARINT_1:
        type = c.varint32(end) | 0;
        break;
      case T_LEN_2: {
        const to = c.delimited(end);
        session = readSession(c, to); // a repeated sub-message replaces the previous one, as protobufjs does
        break;
      }
      case T_LEN_3: {
        const to = c.delimited(end);
        msg = readMsg(c, to);
        break;
      }
      case T_LEN_4:
        frontendID = c.string(end);
        break;
      case T_LEN_5:
        metadata = c.bytes(end);
        break;
      default:
        c.skip(tag, end);
    }
  }
  const t = type as PitayaRequest['type'];
  // Absent sub-messages are missing keys (not `undefined` values), like the reflection codec's output.
  if (session !== undefined) {
    return msg !== undefined ? { type: t, session, msg, frontendID, metadata } : { type: t, session, frontendID, metadata };
  }
  return msg !== undefined ? { type: t, msg, frontendID, metadata } : { type: t, frontendID, metadata };
}

function readError(c: Cursor, end: number): ProtoError {
  let code = '';
  let msg = '';
  const metadata: Record<string, string> = {};
  while (c.pos < end) {
    const tag = c.varint32(end);
    switch (tag) {
      case T_LEN_1:
        code = c.string(end);
        break;
      case T_LEN_2:
        msg = c.string(end);
        break;
      case T_LEN_3: {
        const to = c.delimited(end);
        let key = '';
        let value = '';
        while (c.pos < to) {
          const entryTag = c.varint32(to);
          if (entryTag === T_LEN_1) key = c.string(to);
          else if (entryTag === T_LEN_2) value = c.string(to);
          else c.skip(entryTag, to);
        }
        // protobufjs dropped this key (assigning `__proto__` a string is a no-op); never let it touch the prototype.
        if (key !== '__proto__') metadata[key] = value;
        break;
      }
      default:
        c.skip(tag, end);
    }
  }
  return { code, msg, metadata };
}

function readResponse(c: Cursor, end: number): PitayaResponse {
  let data: Buffer = EMPTY;
  let error: ProtoError | undefined;
  while (c.pos < end) {
    const tag = c.varint32(end);
    switch (tag) {
      case T_LEN_1:
        data = c.bytes(end);
        break;
      case T_LEN_2: {
        const to = c.delimited(end);
        error = readError(c, to);
        break;
      }
      default:
        c.skip(tag, end);
    }
  }
  return error === undefined ? { data } : { data, error };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function staticCodec<T>(
  fallback: ProtoCodec<T>,
  encodeFast: (value: ProtoInit<T>) => Buffer | undefined,
  read: (c: Cursor, end: number) => T,
): ProtoCodec<T> {
  const typeName = fallback.typeName;
  return {
    typeName,
    encode: (value) => encodeFast(value) ?? fallback.encode(value),
    decode(bytes: Uint8Array): T {
      const buf = toBuffer(bytes);
      try {
        return read(new Cursor(buf), buf.length);
      } catch (e) {
        throw new Error(`cannot decode ${typeName}: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}

/** The static codecs, each falling back to the reflection codec for inputs its fast path does not take. */
export interface StaticCodecs {
  readonly Request: ProtoCodec<PitayaRequest>;
  readonly Response: ProtoCodec<PitayaResponse>;
  readonly Session: ProtoCodec<ProtoSession>;
  readonly Msg: ProtoCodec<ProtoMsg>;
  readonly Error: ProtoCodec<ProtoError>;
}

/**
 * Creates the static codecs of the forwarded-request messages. `location` only serves the reflection
 * fallback (loaded on first use, so a process that never needs it never reads the `.proto` files).
 */
export function createStaticCodecs(location: ProtoLocationOptions = {}): StaticCodecs {
  return {
    Request: staticCodec(createProtoCodec<PitayaRequest>('protos.Request', location), encodeRequestFast, readRequest),
    Response: staticCodec(createProtoCodec<PitayaResponse>('protos.Response', location), encodeResponseFast, readResponse),
    Session: staticCodec(createProtoCodec<ProtoSession>('protos.Session', location), encodeSessionFast, readSession),
    Msg: staticCodec(createProtoCodec<ProtoMsg>('protos.Msg', location), encodeMsgFast, readMsg),
    Error: staticCodec(createProtoCodec<ProtoError>('protos.Error', location), encodeErrorFast, readError),
  };
}
