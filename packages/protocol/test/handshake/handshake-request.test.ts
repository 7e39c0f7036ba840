import {
  PacketType,
  decodeHandshakeRequest,
  deflate,
  encodeHandshakeRequest,
  encodePacket,
  utf8Decode,
  utf8Encode,
} from '@pitaya-ts/protocol';
import { reasonOf, textHex, toHex } from '../support/bytes';

const GO_CLIENT =
  '{"sys":{"platform":"mac","libVersion":"0.3.5-release","clientBuildNumber":"20","clientVersion":"2.1"},"user":{"age":30}}';

const decode = (json: string): ReturnType<typeof decodeHandshakeRequest> => decodeHandshakeRequest(utf8Encode(json));
const reason = (json: string): string => reasonOf(() => decode(json));

describe('client handshake request', () => {
  test('the Go test client handshake parses', () => {
    expect(decode(GO_CLIENT)).toEqual({
      sys: { platform: 'mac', libVersion: '0.3.5-release', clientBuildNumber: '20', clientVersion: '2.1' },
      user: { age: 30 },
    });
  });

  test('encodes the Go test client handshake byte for byte (120 B packet body)', () => {
    const body = encodeHandshakeRequest({
      user: { age: 30 },
      // deliberately out of order: Go's struct order wins
      sys: { clientVersion: '2.1', clientBuildNumber: '20', libVersion: '0.3.5-release', platform: 'mac' },
    });
    expect(utf8Decode(body)).toBe(GO_CLIENT);
    expect(toHex(encodePacket(PacketType.Handshake, body))).toBe('01000078' + textHex(GO_CLIENT));
  });

  test('encoding keeps extra sys keys after the known ones and omits an empty user', () => {
    const body = encodeHandshakeRequest({ sys: { type: 'js-websocket', platform: 'web' }, user: {} });
    expect(utf8Decode(body)).toBe('{"sys":{"platform":"web","type":"js-websocket"}}');
  });

  test('{} is valid; unknown keys (pomelo sys.type/version/rsa) are accepted', () => {
    expect(decode('{}')).toEqual({ sys: {} });
    expect(decode('{"sys":{"type":"js-websocket","version":"0.0.1","rsa":{}},"extra":1}').sys).toEqual({
      type: 'js-websocket',
      version: '0.0.1',
      rsa: {},
    });
  });

  test('null where Go accepts null reads as absent', () => {
    expect(decode('{"sys":null,"user":null}')).toEqual({ sys: {} });
    expect(decode('{"sys":{"platform":null,"clientVersion":"1"}}')).toEqual({ sys: { clientVersion: '1' } });
  });

  test.each([
    ['invalid JSON', '{"sys":', 'BAD_HANDSHAKE'],
    ['an array', '[]', 'BAD_HANDSHAKE'],
    ['a string', '"hi"', 'BAD_HANDSHAKE'],
    ['null', 'null', 'BAD_HANDSHAKE'],
    ['sys as an array', '{"sys":[]}', 'BAD_HANDSHAKE'],
    ['sys as a string', '{"sys":"mac"}', 'BAD_HANDSHAKE'],
    ['sys.platform as a number', '{"sys":{"platform":1}}', 'BAD_HANDSHAKE'],
    ['sys.clientBuildNumber as a number (400 in Pitaya)', '{"sys":{"clientBuildNumber":20}}', 'BAD_HANDSHAKE'],
    ['sys.clientVersion as an object', '{"sys":{"clientVersion":{}}}', 'BAD_HANDSHAKE'],
    ['sys.libVersion as a boolean', '{"sys":{"libVersion":true}}', 'BAD_HANDSHAKE'],
    ['user as an array', '{"user":[1]}', 'BAD_HANDSHAKE'],
    ['user as a string', '{"user":"x"}', 'BAD_HANDSHAKE'],
    ['__proto__ at the top', '{"__proto__":{"polluted":1}}', 'FORBIDDEN_KEY'],
    ['__proto__ in sys', '{"sys":{"__proto__":{"platform":"x"}}}', 'FORBIDDEN_KEY'],
    ['constructor in user', '{"user":{"constructor":{"prototype":{}}}}', 'FORBIDDEN_KEY'],
    ['prototype deep inside an array', '{"user":{"a":[1,{"b":[{"prototype":1}]}]}}', 'FORBIDDEN_KEY'],
  ])('%s is refused', (_name, json, expected) => {
    expect(reason(json)).toBe(expected);
  });

  test('the messages say what was wrong without echoing values', () => {
    expect(() => decode('{"sys":{"platform":12345}}')).toThrow('handshake "sys.platform" must be a string, got a number');
    expect(() => decode('{"user":[]}')).toThrow('handshake "user" must be an object, got an array');
    expect(() => decode('{"a":{"__proto__":1}}')).toThrow('forbidden key "__proto__"');
  });

  test('an empty body is refused', () => {
    expect(reasonOf(() => decodeHandshakeRequest(new Uint8Array(0)))).toBe('BAD_HANDSHAKE');
  });

  test('size limit (default 64 KiB)', () => {
    const big = utf8Encode(`{"user":{"pad":"${'x'.repeat(70_000)}"}}`);
    expect(reasonOf(() => decodeHandshakeRequest(big))).toBe('PAYLOAD_TOO_LARGE');
    expect(decodeHandshakeRequest(big, 100_000).user).toBeDefined();
    expect(reasonOf(() => decodeHandshakeRequest(utf8Encode(GO_CLIENT), 119))).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a compressed handshake is never inflated', () => {
    expect(reasonOf(() => decodeHandshakeRequest(deflate(utf8Encode(GO_CLIENT))))).toBe('BAD_HANDSHAKE');
  });

  test('deep nesting does not overflow the stack', () => {
    const deep = `{"user":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    expect(decodeHandshakeRequest(utf8Encode(deep)).user).toBeDefined();
  });
});
