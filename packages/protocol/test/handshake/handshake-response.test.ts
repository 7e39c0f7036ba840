import {
  PacketType,
  decodeHandshakeResponse,
  deflate,
  encodeHandshakeResponse,
  encodePacket,
  utf8Decode,
  utf8Encode,
  type HandshakeResponse,
} from '@pitaya-ts/protocol';
import { reasonOf, textHex, toHex } from '../support/bytes';

const res = (code: number, serializer = 'json', dict: Record<string, number> = {}, heartbeat = 30): HandshakeResponse => ({
  code,
  sys: { dict, heartbeat, serializer },
});

describe('server handshake response', () => {
  test.each([
    ['default', res(200), '01000041', '{"code":200,"sys":{"dict":{},"heartbeat":30,"serializer":"json"}}'],
    ['error', res(400), '01000041', '{"code":400,"sys":{"dict":{},"heartbeat":30,"serializer":"json"}}'],
    ['protobuf', res(200, 'protobuf'), '01000045', '{"code":200,"sys":{"dict":{},"heartbeat":30,"serializer":"protobuf"}}'],
  ])('%s packet, byte for byte', (_name, r, header, json) => {
    expect(toHex(encodePacket(PacketType.Handshake, encodeHandshakeResponse(r)))).toBe(header + textHex(json));
  });

  test('dictionary keys sorted, heartbeat as a float', () => {
    const body = encodeHandshakeResponse(res(200, 'json', { 'room.message': 2, 'a<b': 3, 'room.join': 1 }, 1.5));
    expect(utf8Decode(body)).toBe(
      '{"code":200,"sys":{"dict":{"a\\u003cb":3,"room.join":1,"room.message":2},"heartbeat":1.5,"serializer":"json"}}',
    );
  });

  test('non-finite numbers are refused', () => {
    expect(() => encodeHandshakeResponse(res(200, 'json', {}, NaN))).toThrow(RangeError);
  });

  test('decodes plain and zlib-compressed (no flag) bodies', () => {
    const r = res(200, 'json', { 'room.join': 1, onMessage: 2 }, 1.5);
    const plain = encodeHandshakeResponse(r);
    expect(decodeHandshakeResponse(plain)).toEqual(r);
    expect(decodeHandshakeResponse(deflate(plain))).toEqual(r);
  });

  test('libpitaya defaults: missing dict is {}, missing serializer is json', () => {
    expect(decodeHandshakeResponse(utf8Encode('{"code":200,"sys":{"heartbeat":3}}'))).toEqual(res(200, 'json', {}, 3));
    expect(decodeHandshakeResponse(utf8Encode('{"code":400}'))).toEqual(res(400, 'json', {}, 0));
  });

  test.each([
    ['not JSON', 'oops', 'BAD_HANDSHAKE'],
    ['code as a string', '{"code":"200"}', 'BAD_HANDSHAKE'],
    ['sys as an array', '{"code":200,"sys":[]}', 'BAD_HANDSHAKE'],
    ['dict as an array', '{"code":200,"sys":{"dict":[]}}', 'BAD_HANDSHAKE'],
    ['dict code as a string', '{"code":200,"sys":{"dict":{"a":"1"}}}', 'BAD_HANDSHAKE'],
    ['heartbeat as a string', '{"code":200,"sys":{"heartbeat":"30"}}', 'BAD_HANDSHAKE'],
    ['serializer as a number', '{"code":200,"sys":{"serializer":1}}', 'BAD_HANDSHAKE'],
    ['__proto__ in dict', '{"code":200,"sys":{"dict":{"__proto__":1}}}', 'FORBIDDEN_KEY'],
  ])('%s is refused', (_name, json, expected) => {
    expect(reasonOf(() => decodeHandshakeResponse(utf8Encode(json)))).toBe(expected);
  });

  test('corrupt compressed body', () => {
    expect(reasonOf(() => decodeHandshakeResponse(Uint8Array.of(0x78, 0x9c, 1, 2, 3, 4, 5)))).toBe('BAD_COMPRESSED_DATA');
  });
});
