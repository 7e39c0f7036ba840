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

/**
 * The JSON `metadata` of an outgoing `protos.Request`: the caller's propagated values, then the keys
 * Go Pitaya requires (`peer.id`, `peer.service`; an empty map makes a Go server answer "no context
 * found"), `reqTimeout` as a Go duration string (a Go server type-asserts it as a string), and
 * `req-start-time` in Unix nanoseconds written as an integer literal (it exceeds JS's safe integers).
 */
export function encodeRequestMetadata(
  self: Pick<ServerIdentity, 'id' | 'type'>,
  route: string,
  timeoutMs: number,
  propagated?: Readonly<Record<string, unknown>>,
  requestId: string = newRequestId(),
): Buffer {
  const values: Record<string, unknown> = {};
  if (propagated) for (const [key, value] of Object.entries(propagated)) if (!OWN_KEYS.has(key)) values[key] = value;
  values[MetadataKey.PeerId] = self.id;
  values[MetadataKey.PeerService] = self.type;
  values[MetadataKey.RequestId] = requestId;
  values[MetadataKey.Route] = route;
  values[MetadataKey.Timeout] = formatGoDuration(timeoutMs);
  const json = JSON.stringify(values);
  const nanoseconds = BigInt(Date.now()) * 1_000_000n;
  return Buffer.from(`${json.slice(0, -1)},"${MetadataKey.StartTime}":${nanoseconds}}`, 'utf8');
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
