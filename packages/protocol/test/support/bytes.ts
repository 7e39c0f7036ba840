/** Test helpers for writing and comparing bytes as hex. */
import { ProtocolError, type ProtocolErrorReason } from '@pitaya-ts/protocol';

/** `'04 00 0a'` (spaces ignored) -> bytes. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** bytes -> lowercase hex without spaces. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** UTF-8 of a string as hex. */
export function textHex(s: string): string {
  return toHex(new TextEncoder().encode(s));
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Small seeded PRNG (mulberry32): reproducible randomized tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` and returns the ProtocolError reason it throws (fails the test if it does not throw one). */
export function reasonOf(fn: () => unknown): ProtocolErrorReason {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e.reason;
    throw e;
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}
