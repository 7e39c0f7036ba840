import { utf8Decode, utf8Encode } from '@pitaya-ts/protocol';
import { toHex } from './support/bytes';

describe('utf8', () => {
  test.each(['', 'room.join', 'é', '🎲', '\uFEFFbom', 'x'.repeat(100), 'é'.repeat(100), 'a'.repeat(63) + 'é'])(
    'round-trips %j',
    (s) => {
      expect(utf8Decode(utf8Encode(s))).toBe(s);
    },
  );

  test('a leading BOM is kept, not stripped', () => {
    expect(toHex(utf8Encode('\uFEFF'))).toBe('efbbbf');
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
  });

  test('invalid sequences become U+FFFD', () => {
    expect(utf8Decode(Uint8Array.of(0x61, 0xff, 0x62))).toBe('a\uFFFDb');
  });
});
