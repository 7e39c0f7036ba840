const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF: the wire bytes must round-trip exactly.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Below this length a JS loop beats the TextDecoder call overhead for ASCII input. */
const ASCII_LOOP_MAX = 64;

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD). */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes to a string (invalid sequences become U+FFFD, like Go's decoders). */
export function utf8Decode(b: Uint8Array): string {
  return utf8DecodeRange(b, 0, b.length);
}

/** Decodes `b[start, end)`; short ASCII runs (routes) skip TextDecoder. @internal */
export function utf8DecodeRange(b: Uint8Array, start: number, end: number): string {
  if (end - start <= ASCII_LOOP_MAX) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = b[i];
      if (c >= 0x80) return decoder.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(b.subarray(start, end));
}

interface NodeBufferLike {
  allocUnsafe(size: number): Uint8Array;
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;

/**
 * `size` bytes whose every byte the caller overwrites before anyone reads them. On Node that is
 * `Buffer.allocUnsafe`: no zero-filling, small sizes carved from Node's shared pool, and a `Buffer`
 * that sockets and `ws` take without converting; elsewhere (browsers) a plain `Uint8Array`. @internal
 */
export const allocBytes: (size: number) => Uint8Array =
  NodeBuffer !== undefined && typeof NodeBuffer.allocUnsafe === 'function' ? (size) => NodeBuffer.allocUnsafe(size) : (size) => new Uint8Array(size);
