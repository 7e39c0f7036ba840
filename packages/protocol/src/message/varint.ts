import { ProtocolError } from '../errors';

/** 8 groups of 7 bits cover Number.MAX_SAFE_INTEGER (53 bits). */
const MAX_VARINT_BYTES = 8;

/** Bytes needed for `value` (LSB group first, protobuf style). Throws `BAD_VARINT` on a bad value. */
export function varintLength(value: number): number {
  checkValue(value);
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  let n = 4;
  for (let v = Math.floor(value / 0x10000000); v > 0; v = Math.floor(v / 0x80)) n++;
  return n;
}

/**
 * Writes `value` at `offset`; returns the next offset. Throws `BAD_VARINT` for a value outside
 * 0..Number.MAX_SAFE_INTEGER and a RangeError when `target` is too short.
 */
export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  const length = varintLength(value);
  if (!(offset >= 0 && offset + length <= target.length)) {
    throw new RangeError(`varint of ${length} byte(s) does not fit at offset ${offset} of ${target.length}`);
  }
  let v = value;
  // Bitwise ops are 32-bit: use them only while the value fits in 31 bits.
  while (v > 0x7fffffff) {
    target[offset++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  while (v >= 0x80) {
    target[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  target[offset++] = v;
  return offset;
}

/**
 * Reads a varint at `offset`. Throws `BAD_VARINT` when it is unterminated, longer than 8 bytes, or above
 * Number.MAX_SAFE_INTEGER.
 */
export function readVarint(src: Uint8Array, offset: number): { value: number; next: number } {
  const value = decodeVarint(src, offset);
  return { value, next: varintNext };
}

/** Offset after the last {@link decodeVarint}; a module slot saves an allocation per message. @internal */
export let varintNext = 0;

/** Allocation-free {@link readVarint}: returns the value, leaves the next offset in `varintNext`. @internal */
export function decodeVarint(src: Uint8Array, offset: number): number {
  let value = 0;
  let scale = 1;
  const end = Math.min(src.length, offset + MAX_VARINT_BYTES);
  for (let i = offset; i < end; i++) {
    const b = src[i];
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new ProtocolError('BAD_VARINT', `varint at offset ${offset} exceeds Number.MAX_SAFE_INTEGER`);
      }
      varintNext = i + 1;
      return value;
    }
    scale *= 0x80;
  }
  throw new ProtocolError(
    'BAD_VARINT',
    end - offset === MAX_VARINT_BYTES
      ? `varint at offset ${offset} is longer than ${MAX_VARINT_BYTES} bytes`
      : `varint at offset ${offset} is unterminated (${Math.max(0, src.length - offset)} byte(s) left)`,
  );
}

function checkValue(value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new ProtocolError('BAD_VARINT', `message id must be an integer in 0..2^53-1, got ${value}`);
  }
}
