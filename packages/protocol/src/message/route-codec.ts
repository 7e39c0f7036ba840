import { ProtocolError } from '../errors';
import { utf8DecodeRange, utf8Encode } from '../utf8';

/** A route is written after a 1-byte length. */
export const MAX_ROUTE_BYTES = 255;

/** Routes are few and repeat on every push: keep their bytes, bounded (oldest evicted first). */
const CACHE_LIMIT = 256;
const cache = new Map<string, Uint8Array>();

/**
 * The UTF-8 bytes of `route`, cached. Throws `ROUTE_TOO_LONG` above 255 bytes (Go writes
 * `byte(len(route))` and corrupts the frame instead). The result is shared: never mutate it. @internal
 */
export function encodeRoute(route: string): Uint8Array {
  let bytes = cache.get(route);
  if (bytes !== undefined) return bytes;
  bytes = asciiBytes(route) ?? utf8Encode(route);
  if (bytes.length > MAX_ROUTE_BYTES) {
    throw new ProtocolError(
      'ROUTE_TOO_LONG',
      `route "${route.slice(0, 40)}…" is ${bytes.length} bytes; the limit is ${MAX_ROUTE_BYTES}`,
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(route, bytes);
  return bytes;
}

/** Decodes route bytes `src[start, end)`. @internal */
export function decodeRoute(src: Uint8Array, start: number, end: number): string {
  return utf8DecodeRange(src, start, end);
}

function asciiBytes(s: string): Uint8Array | undefined {
  const n = s.length;
  if (n > MAX_ROUTE_BYTES) return undefined; // let the UTF-8 path measure and report it
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return undefined;
    out[i] = c;
  }
  return out;
}
