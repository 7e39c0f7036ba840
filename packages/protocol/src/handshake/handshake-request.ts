import { ProtocolError } from '../errors';
import { describe, goJsonStringify, isJsonObject, parseUntrustedJson } from '../json';
import { utf8Encode } from '../utf8';

/** Client handshake `sys`: Go's `HandshakeClientData` (all strings) plus any unknown keys, kept as sent. */
export interface HandshakeSys {
  platform?: string;
  libVersion?: string;
  clientBuildNumber?: string;
  clientVersion?: string;
  readonly [key: string]: unknown;
}

/** The client's Handshake packet body. */
export interface HandshakeRequest {
  sys: HandshakeSys;
  user?: Record<string, unknown>;
}

/** Default `maxBytes` of {@link decodeHandshakeRequest}. */
export const DEFAULT_MAX_HANDSHAKE_BYTES = 64 * 1024;

/** Go's field order; these must be strings when present. */
const SYS_STRING_FIELDS = ['platform', 'libVersion', 'clientBuildNumber', 'clientVersion'] as const;

/**
 * Server side: parses and validates a Handshake body (plain JSON, never inflated). Accepts what Go's
 * `json.Unmarshal` into `HandshakeData` accepts: unknown keys, `{}`, and `null` for `sys`, `user` or a sys
 * field (treated as absent). Throws `BAD_HANDSHAKE` (empty, not JSON, not an object, `sys`/`user` not an
 * object, a known sys field not a string), `FORBIDDEN_KEY` (`__proto__`/`constructor`/`prototype` at any
 * depth), `PAYLOAD_TOO_LARGE` above `maxBytes`. The server answers all of them with code 400.
 */
export function decodeHandshakeRequest(
  body: Uint8Array,
  maxBytes: number = DEFAULT_MAX_HANDSHAKE_BYTES,
): HandshakeRequest {
  if (body.length === 0) throw bad('handshake body is empty');
  if (body.length > maxBytes) {
    const message = `handshake body of ${body.length} bytes exceeds the limit of ${maxBytes}`;
    throw new ProtocolError('PAYLOAD_TOO_LARGE', message);
  }
  const v = parseUntrustedJson(body, 'handshake', 'BAD_HANDSHAKE');
  if (!isJsonObject(v)) throw bad(`handshake must be a JSON object, got ${describe(v)}`);
  const sys = v.sys ?? {};
  if (!isJsonObject(sys)) throw bad(`handshake "sys" must be an object, got ${describe(sys)}`);
  for (const field of SYS_STRING_FIELDS) {
    const value = sys[field];
    if (value === null) delete sys[field];
    else if (value !== undefined && typeof value !== 'string') {
      throw bad(`handshake "sys.${field}" must be a string, got ${describe(value)}`);
    }
  }
  const req: HandshakeRequest = { sys };
  if (v.user != null) {
    if (!isJsonObject(v.user)) throw bad(`handshake "user" must be an object, got ${describe(v.user)}`);
    req.user = v.user;
  }
  return req;
}

/**
 * Client side: the Handshake body as the Go client writes it: `sys` with the four known fields first in
 * Go's order, then any other sys keys; `user` omitted when empty (Go's `omitempty`).
 */
export function encodeHandshakeRequest(req: HandshakeRequest): Uint8Array {
  const sys: Record<string, unknown> = {};
  for (const field of SYS_STRING_FIELDS) if (req.sys[field] !== undefined) sys[field] = req.sys[field];
  for (const key of Object.keys(req.sys)) if (!Object.hasOwn(sys, key)) sys[key] = req.sys[key];
  const body: Record<string, unknown> = { sys };
  if (req.user && Object.keys(req.user).length > 0) body.user = req.user;
  return utf8Encode(goJsonStringify(body));
}

function bad(message: string): ProtocolError {
  return new ProtocolError('BAD_HANDSHAKE', message);
}
