import { utf8Encode } from '@pitaya-ts/protocol';

/** Smallest payload `echoPayload` can build: `{"pad":""}` plus a few characters. */
export const MIN_PAYLOAD_BYTES = 16;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Deterministic pseudo-random letters: realistic entropy (a run of `x` would make the
 * "compression on" row look free), identical in every run.
 */
export function padding(length: number, seed = 0x9e3779b9): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out += ALPHABET[state % ALPHABET.length];
  }
  return out;
}

/** A JSON object of exactly `bytes` bytes: `{"pad":"…"}`. */
export function echoPayload(bytes: number): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < MIN_PAYLOAD_BYTES) throw new RangeError(`payload must be an integer >= ${MIN_PAYLOAD_BYTES} bytes`);
  return utf8Encode(`{"pad":"${padding(bytes - 10)}"}`);
}

/** The join body of a member. */
export function joinPayload(room: string, uid: string): Uint8Array {
  return utf8Encode(JSON.stringify({ room, uid }));
}

/**
 * A broadcast body of about `bytes` bytes: `{"ts":<µs>,"room":"…","pad":"…"}`. `ts` is the intended
 * send time on the generator's clock, which every receiver shares (same process).
 */
export function broadcastPayload(tsMicros: number, room: string, bytes: number, pad: string): Uint8Array {
  const head = `{"ts":${Math.round(tsMicros)},"room":${JSON.stringify(room)},"pad":"`;
  const padLength = Math.max(0, bytes - head.length - 2);
  return utf8Encode(`${head}${pad.slice(0, padLength)}"}`);
}

const TS_KEY = [0x22, 0x74, 0x73, 0x22, 0x3a]; // "ts":

/**
 * Reads the integer after `"ts":` without parsing the JSON (servers may reorder keys). NaN when
 * absent. Scanning ~100 bytes costs far less than `JSON.parse` at 100k deliveries per second.
 */
export function readTimestamp(data: Uint8Array): number {
  const n = data.length - TS_KEY.length;
  outer: for (let i = 0; i < n; i++) {
    for (let k = 0; k < TS_KEY.length; k++) if (data[i + k] !== TS_KEY[k]) continue outer;
    let value = 0;
    let digits = 0;
    for (let j = i + TS_KEY.length; j < data.length; j++) {
      const c = data[j];
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      digits++;
    }
    return digits > 0 ? value : Number.NaN;
  }
  return Number.NaN;
}
