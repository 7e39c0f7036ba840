import { ProtocolError } from './errors';
import { goJsonObject, goJsonStringify, isJsonObject, parseUntrustedJson } from './json';
import { utf8Encode } from './utf8';

/** Pitaya's error code strings (`pitaya:pkg/constants/errors.go`), shared by server and client. */
export const ErrorCode = {
  Unknown: 'PIT-000',
  BadRequest: 'PIT-400',
  NotFound: 'PIT-404',
  RequestTimeout: 'PIT-408',
  ClosedRequest: 'PIT-498',
  ClientClosedRequest: 'PIT-499',
  Internal: 'PIT-500',
  ServiceUnavailable: 'PIT-503',
  ClientTimeout: 'PIT-504',
} as const;

/** One of Pitaya's built-in codes (applications may use any other string as well). */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The body of an error Response (flag 0x20): `protos.Error` as JSON. */
export interface ErrorPayload {
  code: string;
  msg?: string;
  metadata?: Record<string, string>;
}

/**
 * Go `encoding/json` of `protos.Error`: field order code, msg, metadata; every field omitted when empty;
 * metadata keys sorted; Go's HTML escaping.
 */
export function encodeErrorPayloadJson(e: ErrorPayload): Uint8Array {
  const fields: string[] = [];
  if (e.code) fields.push(`"code":${goJsonStringify(e.code)}`);
  if (e.msg) fields.push(`"msg":${goJsonStringify(e.msg)}`);
  if (e.metadata && Object.keys(e.metadata).length > 0) {
    fields.push(`"metadata":${goJsonObject(e.metadata, (v) => goJsonStringify(String(v)))}`);
  }
  return utf8Encode(`{${fields.join(',')}}`);
}

/**
 * Parses an error payload. A missing or null `code` reads as `''` (Go's zero value).
 * Throws `BAD_ERROR_PAYLOAD` when it is not JSON or a field has the wrong type, `FORBIDDEN_KEY` on
 * `__proto__`/`constructor`/`prototype` keys.
 */
export function decodeErrorPayloadJson(bytes: Uint8Array): ErrorPayload {
  const v = parseUntrustedJson(bytes, 'error payload', 'BAD_ERROR_PAYLOAD');
  if (!isJsonObject(v)) throw new ProtocolError('BAD_ERROR_PAYLOAD', 'error payload is not a JSON object');
  const { code, msg, metadata } = v;
  if (code != null && typeof code !== 'string') throw bad('code', 'a string');
  if (msg != null && typeof msg !== 'string') throw bad('msg', 'a string');
  const out: ErrorPayload = { code: code ?? '' };
  if (typeof msg === 'string') out.msg = msg;
  if (metadata != null) {
    if (!isJsonObject(metadata)) throw bad('metadata', 'an object');
    for (const k of Object.keys(metadata)) {
      if (typeof metadata[k] !== 'string') throw bad(`metadata.${k}`, 'a string');
    }
    out.metadata = metadata as Record<string, string>;
  }
  return out;
}

function bad(field: string, expected: string): ProtocolError {
  return new ProtocolError('BAD_ERROR_PAYLOAD', `error payload field "${field}" must be ${expected}`);
}
