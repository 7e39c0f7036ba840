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

// Decoded routes, direct-mapped by length and three sampled bytes. A client sends the same few routes
// over and over: a hit returns the very string decoded before, so there is no per-message decode and
// the route table's Map lookup reuses the hash V8 cached in that string. Bounded (256 slots of at
// most 255 bytes); a client sending random routes only costs itself a copy per miss.
const DECODED_SLOTS = 256;
const decodedBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(DECODED_SLOTS).fill(undefined);
const decodedText: string[] = new Array<string>(DECODED_SLOTS).fill('');

/** Decodes route bytes `src[start, end)`. @internal */
export function decodeRoute(src: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  const slot = (n * 31 + src[start]! * 7 + src[end - 1]! * 13 + src[start + (n >> 1)]!) & (DECODED_SLOTS - 1);
  const known = decodedBytes[slot];
  if (known !== undefined && known.length === n) {
    let i = 0;
    while (i < n && known[i] === src[start + i]) i++;
    if (i === n) return decodedText[slot]!;
  }
  const text = utf8DecodeRange(src, start, end);
  decodedBytes[slot] = src.slice(start, end);
  decodedText[slot] = text;
  return text;
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
