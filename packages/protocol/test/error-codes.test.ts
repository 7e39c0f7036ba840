import { ErrorCode, decodeErrorPayloadJson, encodeErrorPayloadJson, utf8Decode, utf8Encode } from '@pitaya-ts/protocol';
import { reasonOf } from './support/bytes';

const enc = (e: Parameters<typeof encodeErrorPayloadJson>[0]): string => utf8Decode(encodeErrorPayloadJson(e));

describe('error payload (protos.Error as Go JSON)', () => {
  test('Pitaya code strings', () => {
    expect(ErrorCode).toEqual({
      Unknown: 'PIT-000',
      BadRequest: 'PIT-400',
      NotFound: 'PIT-404',
      RequestTimeout: 'PIT-408',
      ClosedRequest: 'PIT-498',
      ClientClosedRequest: 'PIT-499',
      Internal: 'PIT-500',
      ServiceUnavailable: 'PIT-503',
      ClientTimeout: 'PIT-504',
    });
  });

  test('spec §1.5 examples byte for byte', () => {
    expect(enc({ code: 'PIT-404', msg: 'pitaya/handler: connector.testsvc.nonexistenthandler not found' })).toBe(
      '{"code":"PIT-404","msg":"pitaya/handler: connector.testsvc.nonexistenthandler not found"}',
    );
    expect(enc({ code: 'PIT-433', msg: 'test error', metadata: { some: 'meta' } })).toBe(
      '{"code":"PIT-433","msg":"test error","metadata":{"some":"meta"}}',
    );
  });

  test('field order, omitempty, sorted metadata, Go escaping', () => {
    expect(enc({ metadata: { z: '1', a: '2' }, msg: 'm', code: 'C' })).toBe('{"code":"C","msg":"m","metadata":{"a":"2","z":"1"}}');
    expect(enc({ code: 'PIT-000', msg: '', metadata: {} })).toBe('{"code":"PIT-000"}');
    expect(enc({ code: '' })).toBe('{}');
    expect(enc({ code: 'X', msg: '<b>&"\u2028' })).toBe('{"code":"X","msg":"\\u003cb\\u003e\\u0026\\"\\u2028"}');
  });

  test('decodes, with Go zero values for missing fields', () => {
    const full = { code: 'PIT-433', msg: 'test error', metadata: { some: 'meta' } };
    expect(decodeErrorPayloadJson(encodeErrorPayloadJson(full))).toEqual(full);
    expect(decodeErrorPayloadJson(utf8Encode('{}'))).toEqual({ code: '' });
    expect(decodeErrorPayloadJson(utf8Encode('{"code":null,"msg":"x","other":1}'))).toEqual({ code: '', msg: 'x' });
  });

  test.each([
    ['not JSON', 'PIT-000', 'BAD_ERROR_PAYLOAD'],
    ['an array', '[]', 'BAD_ERROR_PAYLOAD'],
    ['code as a number', '{"code":404}', 'BAD_ERROR_PAYLOAD'],
    ['msg as an object', '{"code":"A","msg":{}}', 'BAD_ERROR_PAYLOAD'],
    ['metadata as a string', '{"code":"A","metadata":"x"}', 'BAD_ERROR_PAYLOAD'],
    ['a metadata value as a number', '{"code":"A","metadata":{"n":1}}', 'BAD_ERROR_PAYLOAD'],
    ['__proto__ in metadata', '{"code":"A","metadata":{"__proto__":"x"}}', 'FORBIDDEN_KEY'],
  ])('%s is refused', (_name, json, reason) => {
    expect(reasonOf(() => decodeErrorPayloadJson(utf8Encode(json)))).toBe(reason);
  });
});
