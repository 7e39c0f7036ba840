import { utf8Decode, utf8Encode } from '@pitaya-ts/protocol';

/** How bodies cross the wire. */
export type ClientEncoding = 'json' | 'raw';

const EMPTY = new Uint8Array(0);

/** Body -> payload bytes. `undefined` sends an empty payload in both encodings. @internal */
export function encodeBody(body: unknown, encoding: ClientEncoding): Uint8Array {
  if (body === undefined) return EMPTY;
  if (encoding === 'raw') {
    if (!(body instanceof Uint8Array)) throw new TypeError('with encoding "raw" a body must be a Uint8Array');
    return body;
  }
  return utf8Encode(JSON.stringify(body));
}

/**
 * Payload bytes -> body. JSON mode: an empty payload is `undefined`; a payload that is not JSON (Pitaya
 * handlers may return raw `[]byte`) is returned as bytes rather than failing. @internal
 */
export function decodeBody(data: Uint8Array, encoding: ClientEncoding): unknown {
  if (encoding === 'raw') return data.slice(); // detach from the receive buffer
  if (data.length === 0) return undefined;
  try {
    return JSON.parse(utf8Decode(data));
  } catch {
    return data.slice();
  }
}
