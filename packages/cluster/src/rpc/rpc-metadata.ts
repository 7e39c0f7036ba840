import { randomBytes } from 'node:crypto';
import { formatGoDuration, type ServerIdentity } from '@pitaya-ts/core';
import { assertNoForbiddenKeys } from '@pitaya-ts/core/internal';

/** Keys of Pitaya's propagated context that the framework itself sets. */
export const MetadataKey = {
  PeerId: 'peer.id',
  PeerService: 'peer.service',
  RequestId: 'request.id',
  Route: 'req-route',
  Timeout: 'reqTimeout',
  StartTime: 'req-start-time',
} as const;

/**
 * Key of the tracing carrier in the metadata: a W3C TraceContext map (`{"traceparent": "00-…"}`),
 * written and read as Go Pitaya's `tracing.InjectSpan` / `ExtractSpan` do.
 */
export const OTEL_SPAN_KEY = 'otel-span';

const OWN_KEYS = new Set<string>(Object.values(MetadataKey));
const REQUEST_ID_PREFIX = randomBytes(6).toString('base64url');
let requestCounter = 0;

/** A request id unique to this process and call (Pitaya uses a nuid; any unique string does). */
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(36)}`;
}

// One-entry caches: a process calls with one identity and, nearly always, one timeout. A miss only
// recomputes (several in-process apps alternating stay correct).
let prefixSelfId: string | undefined;
let prefixSelfType: string | undefined;
let prefix = '';
let timeoutMsCached = Number.NaN;
let timeoutJson = '';

/**
 * `JSON.stringify(s)` for a string: routes and request ids are short printable ASCII that needs no
 * escaping, checked by a loop instead of a call into the JSON serializer.
 */
function jsonString(s: string): string {
  const n = s.length;
  if (n > 128) return JSON.stringify(s);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** `"peer.id":…,"peer.service":…,"request.id":` for this identity. */
function identityPrefix(self: Pick<ServerIdentity, 'id' | 'type'>): string {
  if (self.id !== prefixSelfId || self.type !== prefixSelfType) {
    prefixSelfId = self.id;
    prefixSelfType = self.type;
    prefix = `"${MetadataKey.PeerId}":${JSON.stringify(self.id)},"${MetadataKey.PeerService}":${JSON.stringify(self.type)},"${MetadataKey.RequestId}":`;
  }
  return prefix;
}

/** The Go duration string of `timeoutMs`, JSON-quoted. */
function timeoutValue(timeoutMs: number): string {
  if (timeoutMs !== timeoutMsCached) {
    timeoutJson = JSON.stringify(formatGoDuration(timeoutMs));
    timeoutMsCached = timeoutMs;
  }
  return timeoutJson;
}

/**
 * The JSON `metadata` of an outgoing `protos.Request`: the caller's propagated values, then the keys
 * Go Pitaya requires (`peer.id`, `peer.service`; an empty map makes a Go server answer "no context
 * found"), `reqTimeout` as a Go duration string (a Go server type-asserts it as a string), and
 * `req-start-time` in Unix nanoseconds written as an integer literal (it exceeds JS's safe integers).
 *
 * Built as one template string per call (the identity prefix and the duration are cached): this runs
 * for every forwarded request. Only propagated values (tracing on, or an app's propagated context) go
 * through an object and `JSON.stringify`.
 */
export function encodeRequestMetadata(
  self: Pick<ServerIdentity, 'id' | 'type'>,
  route: string,
  timeoutMs: number,
  propagated?: Readonly<Record<string, unknown>>,
  requestId: string = newRequestId(),
): Buffer {
  const head = propagated === undefined ? '{' : propagatedHead(propagated);
  // Date.now() is whole milliseconds: its nanoseconds are its digits followed by six zeros.
  return Buffer.from(
    `${head}${identityPrefix(self)}${jsonString(requestId)},"${MetadataKey.Route}":${jsonString(route)},"${MetadataKey.Timeout}":${timeoutValue(timeoutMs)},"${MetadataKey.StartTime}":${Date.now()}000000}`,
    'utf8',
  );
}

/** `{` followed by the propagated values (our own keys left out) and a comma when there are any. */
function propagatedHead(propagated: Readonly<Record<string, unknown>>): string {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(propagated)) if (!OWN_KEYS.has(key)) values[key] = value;
  const json = JSON.stringify(values);
  return json === '{}' ? '{' : `${json.slice(0, -1)},`;
}

/** Parses incoming metadata; anything that is not a JSON object (or is empty) gives `{}`. */
export function decodeRequestMetadata(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
    assertNoForbiddenKeys(value);
    return value as Record<string, unknown>;
  } catch {
    return {};
  }
}
