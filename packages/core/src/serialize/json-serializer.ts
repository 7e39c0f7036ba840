import { encodeErrorPayloadJson, type ErrorPayload } from '@pitaya-ts/protocol';
import { badRequest } from '../errors/pitaya-error';
import { parseUntrustedJson } from './safe-json';
import type { Serializer } from './serializer';

/** JSON payloads (Pitaya's default serializer, `serializertype` 1). Byte arrays become base64 like Go's `[]byte`. */
export class JsonSerializer implements Serializer {
  readonly name = 'json';

  encode(value: unknown): Uint8Array {
    // A replacer takes V8 off its fast path (about twice the cost), so it only runs for values
    // that hold bytes or a custom toJSON.
    const text = mayHoldBytes(value, 0) ? JSON.stringify(value, bytesAsBase64) : JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot serialize ${typeof value} to JSON`);
    return Buffer.from(text, 'utf8');
  }

  decode(data: Uint8Array): unknown {
    if (data.length === 0) throw badRequest('unexpected end of JSON input');
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return parseUntrustedJson(buf.toString('utf8'));
  }

  encodeError(error: ErrorPayload): Uint8Array {
    return encodeErrorPayloadJson(error);
  }
}

/** Deeper than this, assume bytes rather than keep walking (the replacer is always correct). */
const MAX_WALK_DEPTH = 32;

/** True when `value` contains a Uint8Array/Buffer or an object with a `toJSON` of its own making. */
function mayHoldBytes(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_WALK_DEPTH || ArrayBuffer.isView(value)) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (mayHoldBytes(item, depth + 1)) return true;
    return false;
  }
  if (value instanceof Date) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && mayHoldBytes((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function bytesAsBase64(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    // Buffer#toJSON already ran; encode like Go's []byte too.
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
