import { encodeErrorPayloadJson, type ErrorPayload } from '@pitaya-ts/protocol';
import { badRequest } from '../errors/pitaya-error';
import { parseUntrustedJson } from './safe-json';
import type { Serializer } from './serializer';

/** JSON payloads (Pitaya's default serializer, `serializertype` 1). Byte arrays become base64 like Go's `[]byte`. */
export class JsonSerializer implements Serializer {
  readonly name = 'json';

  encode(value: unknown): Uint8Array {
    const text = JSON.stringify(value, bytesAsBase64);
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

function bytesAsBase64(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    // Buffer#toJSON already ran; encode like Go's []byte too.
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
