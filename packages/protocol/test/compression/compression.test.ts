import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { deflate, inflate, isCompressed, utf8Decode, utf8Encode } from '@pitaya-ts/protocol';
import { adler32, crc32 } from '../../src/compression/checksum';
import { hex, reasonOf, toHex } from '../support/bytes';

const NEQUE = 'Neque porro quisquam est qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit';

describe('compression: Go fixtures (pitaya:pkg/util/compression/fixtures)', () => {
  test.each([
    ['test', '78 9c 2a 49 2d 2e 01 04 00 00 ff ff 04 5d 01 c1'],
    ['{a:1,b:2}', '78 9c aa 4e b4 32 d4 49 b2 32 aa 05 04 00 00 ff ff 0e 13 02 bf'],
    ['bla'.repeat(13), '78 9c 4a ca 49 24 06 01 02 00 00 ff ff 33 ff 0f 64'],
  ])('inflates Go zlib output of %j', (text, bytes) => {
    expect(utf8Decode(inflate(hex(bytes)))).toBe(text);
  });

  test('the third fixture (82 B, not reproduced in the spec) ends with the Adler-32 of its text', () => {
    expect(adler32(utf8Encode(NEQUE)).toString(16)).toBe('2a4f223a');
    expect(utf8Decode(inflate(deflate(utf8Encode(NEQUE))))).toBe(NEQUE);
  });

  test('"arbitrary data" is refused, like Go', () => {
    expect(reasonOf(() => inflate(utf8Encode('arbitrary data')))).toBe('BAD_COMPRESSED_DATA');
  });
});

describe('compression', () => {
  test('deflate writes zlib (78 xx header) that Node and we inflate', () => {
    const data = utf8Encode('{"hello":"world","hello2":"world","hello3":"world"}');
    const z = deflate(data);
    expect(isCompressed(z)).toBe(true);
    expect(((z[0] << 8) | z[1]) % 31).toBe(0);
    expect(toHex(inflate(z))).toBe(toHex(data));
    expect(toHex(inflate(deflateSync(data)))).toBe(toHex(data));
  });

  test('gzip input is accepted (auto-detected), including optional header fields', () => {
    const data = utf8Encode('gzip payload '.repeat(10));
    expect(toHex(inflate(gzipSync(data)))).toBe(toHex(data));
    // FNAME + FCOMMENT + FEXTRA + FHCRC header built by hand around a raw deflate body
    const raw = deflateRawSync(data);
    const header = [0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3, 2, 0, 0xaa, 0xbb];
    const name = [...utf8Encode('file.txt'), 0];
    const comment = [...utf8Encode('hi'), 0];
    const trailer = new Uint8Array(8);
    new DataView(trailer.buffer).setUint32(0, crc32(data), true);
    new DataView(trailer.buffer).setUint32(4, data.length, true);
    const gz = Uint8Array.from([...header, ...name, ...comment, 0x12, 0x34, ...raw, ...trailer]);
    expect(toHex(inflate(gz))).toBe(toHex(data));
  });

  test('empty input round-trips', () => {
    expect(inflate(deflate(new Uint8Array(0))).length).toBe(0);
  });

  test('corruption is detected', () => {
    const data = utf8Encode('checksum me, please; checksum me, please');
    const z = deflate(data);
    const badAdler = z.slice();
    badAdler[badAdler.length - 1] ^= 1;
    expect(reasonOf(() => inflate(badAdler))).toBe('BAD_COMPRESSED_DATA');
    const gz = Uint8Array.from(gzipSync(data));
    const badCrc = gz.slice();
    badCrc[gz.length - 8] ^= 1;
    expect(reasonOf(() => inflate(badCrc))).toBe('BAD_COMPRESSED_DATA');
    // ISIZE claiming 4 GiB must not allocate 4 GiB (fflate's gunzipSync would): refused by the check
    const badSize = gz.slice();
    badSize.set([0xff, 0xff, 0xff, 0xff], gz.length - 4);
    expect(reasonOf(() => inflate(badSize))).toBe('BAD_COMPRESSED_DATA');
    for (let cut = 0; cut < z.length; cut++) expect(reasonOf(() => inflate(z.subarray(0, cut)))).toBe('BAD_COMPRESSED_DATA');
  });

  test('raw deflate, a preset dictionary and bad gzip headers are refused', () => {
    expect(reasonOf(() => inflate(Uint8Array.from(deflateRawSync(utf8Encode('raw raw raw')))))).toBe('BAD_COMPRESSED_DATA');
    expect(reasonOf(() => inflate(hex('78 bb 00 00 00 01 03 00 00 00 00 01')))).toBe('BAD_COMPRESSED_DATA');
    expect(reasonOf(() => inflate(hex('1f 8b 08 04 00 00 00 00 00 03 ff ff')))).toBe('BAD_COMPRESSED_DATA');
    expect(reasonOf(() => inflate(hex('1f 8b 08 e0 00 00 00 00 00 03 03 00 00 00 00 00 00 00 00 00')))).toBe('BAD_COMPRESSED_DATA');
    expect(reasonOf(() => inflate(hex('1f 8b')))).toBe('BAD_COMPRESSED_DATA');
  });

  test('zip bomb: 17 MiB of zeros in ~17 KiB is stopped at the default 16 MiB limit', () => {
    const bomb = Uint8Array.from(deflateSync(new Uint8Array(17 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(20_000);
    expect(reasonOf(() => inflate(bomb))).toBe('PAYLOAD_TOO_LARGE');
    const gzipBomb = Uint8Array.from(gzipSync(new Uint8Array(4 * 1024 * 1024)));
    expect(reasonOf(() => inflate(gzipBomb, 1024 * 1024))).toBe('PAYLOAD_TOO_LARGE');
  });

  test('maxOutputBytes is exact, on both the one-shot and the streaming path', () => {
    const oneShot = deflate(new Uint8Array(1000).fill(1));
    expect(inflate(oneShot, 1000).length).toBe(1000);
    expect(reasonOf(() => inflate(oneShot, 999))).toBe('PAYLOAD_TOO_LARGE');
    const streamed = deflate(new Uint8Array(1024 * 1024));
    expect(inflate(streamed, 1024 * 1024).length).toBe(1024 * 1024);
    expect(reasonOf(() => inflate(streamed, 1024 * 1024 - 1))).toBe('PAYLOAD_TOO_LARGE');
  });

  test('streaming path reproduces incompressible data exactly', () => {
    const data = new Uint8Array(300_000);
    for (let i = 0, x = 7; i < data.length; i++) data[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    const z = deflate(data);
    // z.length * 1032 > limit, so this goes through the sliced streaming inflater
    expect(Buffer.from(inflate(z, 400_000)).equals(data)).toBe(true);
  });

  test('isCompressed is Pitaya\'s IsCompressed', () => {
    for (const h of ['789c00', '780100', '78da00', '785e00', '1f8b00']) expect(isCompressed(hex(h))).toBe(true);
    for (const h of ['789c', '1f8b', '', '780000', '7b2261', '1f0000']) expect(isCompressed(hex(h))).toBe(false);
  });

  test('checksums match known values', () => {
    expect(crc32(utf8Encode('123456789')).toString(16)).toBe('cbf43926');
    expect(adler32(utf8Encode('Wikipedia')).toString(16)).toBe('11e60398');
    // long runs of 0xff exercise the modulo batching: compare with Node's zlib trailer
    const ff = new Uint8Array(100_000).fill(255);
    expect(adler32(ff).toString(16).padStart(8, '0')).toBe(toHex(Uint8Array.from(deflateSync(ff)).subarray(-4)));
  });
});
