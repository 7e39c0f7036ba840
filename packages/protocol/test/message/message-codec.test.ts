import {
  MessageType,
  RouteDictionary,
  decodeMessage,
  deflate,
  encodeMessage,
  encodeMessagePacket,
  encodeErrorPayloadJson,
  inflate,
  utf8Decode,
  utf8Encode,
  type MessageInit,
} from '@pitaya-ts/protocol';
import { hex, reasonOf, textHex, toHex } from '../support/bytes';

const dictA = new RouteDictionary({ a: 1 });

// pitaya:pkg/conn/message/fixtures/*.golden with the inputs of message_test.go (spec §1.6)
const fixtures: Array<[string, MessageInit, RouteDictionary | undefined, string]> = [
  ['test_request_type', { type: MessageType.Request, id: 0, route: 'a' }, undefined, '00000161'],
  ['test_request_type_compressed', { type: MessageType.Request, id: 0, route: 'a' }, dictA, '01000001'],
  ['test_notify_type', { type: MessageType.Notify, route: 'a' }, undefined, '020161'],
  ['test_notify_type_compressed', { type: MessageType.Notify, route: 'a' }, dictA, '030001'],
  ['test_push_type', { type: MessageType.Push, route: 'a' }, undefined, '060161'],
  ['test_push_type_compressed', { type: MessageType.Push, route: 'a' }, dictA, '070001'],
  ['test_reponse_type', { type: MessageType.Response, id: 0 }, undefined, '0400'],
  ['test_reponse_type_with_data', { type: MessageType.Response, data: hex('01') }, undefined, '040001'],
  ['test_reponse_type_with_id', { type: MessageType.Response, id: 129 }, undefined, '048101'],
  ['test_reponse_type_with_error', { type: MessageType.Response, data: hex('01'), error: true }, undefined, '240001'],
];

describe('message codec: Pitaya golden fixtures', () => {
  test.each(fixtures)('%s encodes byte for byte', (_name, init, dict, bytes) => {
    expect(toHex(encodeMessage(init, dict))).toBe(bytes);
  });

  test.each(fixtures)('%s decodes back', (_name, init, dict, bytes) => {
    const m = decodeMessage(hex(bytes), dict);
    expect(m.type).toBe(init.type);
    expect(m.id).toBe(init.id ?? 0);
    expect(m.route).toBe(init.type === MessageType.Response ? '' : init.route);
    expect(m.routeCompressed).toBe(dict !== undefined && init.type !== MessageType.Response);
    expect(toHex(m.data)).toBe(toHex(init.data ?? new Uint8Array(0)));
    expect(m.error).toBe(init.error ?? false);
    expect(m.compressed).toBe(false);
  });

  test('test_must_gzip: error | zlib | Response, payload inflates to the original', () => {
    const golden = hex('34 00 78 9c 4a ca 49 24 06 01 02 00 00 ff ff 33 ff 0f 64');
    const m = decodeMessage(golden);
    expect(m).toMatchObject({ type: MessageType.Response, id: 0, error: true, compressed: true });
    expect(utf8Decode(inflate(m.data))).toBe('bla'.repeat(13));
    // our encoder sets the same flag byte for an already-deflated payload
    const ours = encodeMessage({ type: MessageType.Response, error: true, compressed: true, data: deflate(utf8Encode('bla'.repeat(13))) });
    expect(ours[0]).toBe(0x34);
    expect(utf8Decode(inflate(decodeMessage(ours).data))).toBe('bla'.repeat(13));
  });

  test('test_wrong_type: encoding type 0xff fails; decoding nothing fails', () => {
    expect(reasonOf(() => encodeMessage({ type: 0xff as MessageType }))).toBe('BAD_MESSAGE_TYPE');
    expect(reasonOf(() => decodeMessage(new Uint8Array(0)))).toBe('MESSAGE_TOO_SHORT');
  });
});

describe('message codec: computed full-packet vectors (spec §1.6)', () => {
  test('request id=1 connector.testsvc.testrequestreturnsptr {"msg":"good"}', () => {
    const route = 'connector.testsvc.testrequestreturnsptr';
    const p = encodeMessagePacket({ type: MessageType.Request, id: 1, route, data: utf8Encode('{"msg":"good"}') });
    expect(toHex(p)).toBe('04000038' + '000127' + textHex(route) + '7b226d7367223a22676f6f64227d');
  });

  test('its response {"code":200,"msg":"good"}', () => {
    const p = encodeMessagePacket({ type: MessageType.Response, id: 1, data: utf8Encode('{"code":200,"msg":"good"}') });
    expect(toHex(p)).toBe('0400001b' + '0401' + '7b22636f6465223a3230302c226d7367223a22676f6f64227d');
  });

  test('error response id=2 with the PIT-404 body', () => {
    const body = encodeErrorPayloadJson({
      code: 'PIT-404',
      msg: 'pitaya/handler: connector.testsvc.nonexistenthandler not found',
    });
    expect(body.length).toBe(89);
    const p = encodeMessagePacket({ type: MessageType.Response, id: 2, error: true, data: body });
    expect(toHex(p.subarray(0, 8))).toBe('0400005b24027b22');
    expect(toHex(p.subarray(6))).toBe(toHex(body));
  });

  test('push onMessage {"a":1}', () => {
    const p = encodeMessagePacket({ type: MessageType.Push, route: 'onMessage', data: utf8Encode('{"a":1}') });
    expect(toHex(p)).toBe('04000012' + '0609' + '6f6e4d657373616765' + '7b2261223a317d');
  });

  test('notify room.room.message {}', () => {
    const p = encodeMessagePacket({ type: MessageType.Notify, route: 'room.room.message', data: utf8Encode('{}') });
    expect(toHex(p)).toBe('04000015' + '0211' + '726f6f6d2e726f6f6d2e6d657373616765' + '7b7d');
  });

  test('encodeMessagePacket equals header + encodeMessage', () => {
    const init: MessageInit = { type: MessageType.Push, route: 'a', data: hex('0102') };
    const m = encodeMessage(init, dictA);
    expect(toHex(encodeMessagePacket(init, dictA))).toBe('0400000' + m.length.toString(16) + toHex(m));
  });
});

describe('message codec: encoding rules', () => {
  test('ids are ignored where the type has none; routes where it has none', () => {
    expect(toHex(encodeMessage({ type: MessageType.Notify, id: 5, route: 'a' }))).toBe('020161');
    expect(toHex(encodeMessage({ type: MessageType.Response, id: 1, route: 'a' }, dictA))).toBe('0401');
  });

  test('routes up to 255 UTF-8 bytes; longer is refused', () => {
    const r255 = 'r'.repeat(255);
    const m = encodeMessage({ type: MessageType.Notify, route: r255 });
    expect(m[1]).toBe(255);
    expect(decodeMessage(m).route).toBe(r255);
    expect(reasonOf(() => encodeMessage({ type: MessageType.Notify, route: 'r'.repeat(256) }))).toBe('ROUTE_TOO_LONG');
    // 128 two-byte characters = 256 bytes
    expect(reasonOf(() => encodeMessage({ type: MessageType.Push, route: 'é'.repeat(128) }))).toBe('ROUTE_TOO_LONG');
  });

  test('non-ASCII routes round-trip (and hit the route cache consistently)', () => {
    for (let i = 0; i < 3; i++) {
      const m = encodeMessage({ type: MessageType.Push, route: 'sala.ção.🎲' });
      expect(decodeMessage(m).route).toBe('sala.ção.🎲');
    }
  });

  test('a bad id is refused', () => {
    expect(reasonOf(() => encodeMessage({ type: MessageType.Request, id: -1, route: 'a' }))).toBe('BAD_VARINT');
    expect(reasonOf(() => encodeMessage({ type: MessageType.Response, id: 1.5 }))).toBe('BAD_VARINT');
  });

  test('decoded data is a view into the input', () => {
    const bytes = hex('0401aabb');
    const m = decodeMessage(bytes);
    expect(m.data.buffer).toBe(bytes.buffer);
    expect(m.data.byteOffset).toBe(2);
  });

  test('flag bits 6 and 7 are ignored, as in Go', () => {
    expect(decodeMessage(hex('c401aa')).type).toBe(MessageType.Response);
  });
});

describe('message codec: malformed input throws, never crashes', () => {
  test.each([
    ['1-byte message', '04', 'MESSAGE_TOO_SHORT'],
    ['type 4 in the flag', '0800', 'BAD_MESSAGE_TYPE'],
    ['type 7 in the flag', '0e00', 'BAD_MESSAGE_TYPE'],
    ['2-byte request 00 01 (panics in Go)', '0001', 'ROUTE_OUT_OF_BOUNDS'],
    ['unterminated id varint', '008080', 'BAD_VARINT'],
    ['unterminated id varint in a response', '0480', 'BAD_VARINT'],
    ['9-byte id varint', '04' + '80'.repeat(8) + '01', 'BAD_VARINT'],
    ['route length past the end', '020561', 'ROUTE_OUT_OF_BOUNDS'],
    ['route length past the end of a request', '00010361', 'ROUTE_OUT_OF_BOUNDS'],
    ['truncated route code', '0300', 'ROUTE_OUT_OF_BOUNDS'],
    ['route code without a dictionary', '030001', 'UNKNOWN_ROUTE_CODE'],
  ])('%s', (_name, bytes, reason) => {
    expect(reasonOf(() => decodeMessage(hex(bytes)))).toBe(reason);
  });

  test('unknown dictionary code', () => {
    expect(reasonOf(() => decodeMessage(hex('030002'), dictA))).toBe('UNKNOWN_ROUTE_CODE');
    expect(decodeMessage(hex('030001'), dictA).route).toBe('a');
  });

  test('an empty route is legal', () => {
    expect(decodeMessage(hex('0200')).route).toBe('');
    expect(toHex(encodeMessage({ type: MessageType.Notify }))).toBe('0200');
  });
});

describe('decoded-route cache', () => {
  const routeOf = (route: string): string => decodeMessage(encodeMessage({ type: MessageType.Notify, route, data: utf8Encode('{}') })).route;

  test('a repeated route decodes to the same text', () => {
    const first = routeOf('room.chat.send');
    expect(first).toBe('room.chat.send');
    expect(routeOf('room.chat.send')).toBe(first);
  });

  test('routes that share a slot, non-ASCII routes and a flood of invented routes still decode exactly', () => {
    // Same length, same sampled bytes (first, middle, last): same slot, different text.
    expect(routeOf('aXbYc')).toBe('aXbYc');
    expect(routeOf('aZbWc')).toBe('aZbWc');
    expect(routeOf('aXbYc')).toBe('aXbYc');
    expect(routeOf('sala.bate-papo.olá')).toBe('sala.bate-papo.olá');
    for (let i = 0; i < 5000; i++) expect(routeOf(`svc.h${i}.m${i % 7}`)).toBe(`svc.h${i}.m${i % 7}`);
    expect(routeOf('room.chat.send')).toBe('room.chat.send');
  });
});
