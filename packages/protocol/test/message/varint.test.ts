import { readVarint, varintLength, writeVarint } from '@pitaya-ts/protocol';
import { hex, reasonOf, toHex } from '../support/bytes';

function encode(n: number): string {
  const out = new Uint8Array(varintLength(n));
  expect(writeVarint(out, 0, n)).toBe(out.length);
  return toHex(out);
}

describe('varint (LSB group first)', () => {
  test.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [129, '8101'],
    [300, 'ac02'],
    [16384, '808001'],
    [2 ** 32 - 1, 'ffffffff0f'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
  ])('%d <-> %s (spec §1.3)', (n, bytes) => {
    expect(encode(n)).toBe(bytes);
    expect(readVarint(hex(bytes), 0)).toEqual({ value: n, next: bytes.length / 2 });
  });

  test('length at every 7-bit boundary', () => {
    for (let k = 1; k <= 7; k++) {
      const edge = 2 ** (7 * k);
      expect(varintLength(edge - 1)).toBe(k);
      expect(varintLength(edge)).toBe(k + 1);
      expect(readVarint(hex(encode(edge)), 0).value).toBe(edge);
      expect(readVarint(hex(encode(edge - 1)), 0).value).toBe(edge - 1);
    }
  });

  test('reads at an offset and accepts non-minimal encodings like Go', () => {
    expect(readVarint(hex('ff 8000 ff'), 1)).toEqual({ value: 0, next: 3 });
  });

  test('bad values are refused', () => {
    for (const n of [-1, 1.5, NaN, Infinity, 2 ** 53]) expect(reasonOf(() => varintLength(n))).toBe('BAD_VARINT');
  });

  test('bad input is refused', () => {
    expect(reasonOf(() => readVarint(hex(''), 0))).toBe('BAD_VARINT');
    expect(reasonOf(() => readVarint(hex('80'), 0))).toBe('BAD_VARINT');
    expect(reasonOf(() => readVarint(hex('01'), 1))).toBe('BAD_VARINT');
    expect(reasonOf(() => readVarint(hex('8080808080808080 01'), 0))).toBe('BAD_VARINT'); // 9 bytes
    expect(reasonOf(() => readVarint(hex('ffffffffffffff7f'), 0))).toBe('BAD_VARINT'); // 2^56-1
  });

  test('writeVarint refuses to write past the end', () => {
    expect(() => writeVarint(new Uint8Array(1), 0, 128)).toThrow(RangeError);
    expect(() => writeVarint(new Uint8Array(4), 4, 0)).toThrow(RangeError);
  });
});
