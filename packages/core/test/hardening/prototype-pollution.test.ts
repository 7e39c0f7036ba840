import { decodeHandshakeRequest, encodeHandshakeRequest, ProtocolError, utf8Encode } from '@pitaya-ts/protocol';
import { JsonSerializer, PitayaError } from '@pitaya-ts/core';
import { SessionData } from '../../src/session/session';

class Data extends SessionData {}

// Every spelling JSON allows for the three keys: literal, and with \u escapes on any character.
const SPELLINGS = [
  '"__proto__"', '"\\u005f_proto__"', '"\\u005F\\u005Fproto__"', '"__prot\\u006f__"',
  '"constructor"', '"\\u0063onstructor"', '"constructo\\u0072"',
  '"prototype"', '"\\u0070rototype"', '"pr\\u006ftotype"',
];

describe('prototype-pollution guard (one implementation, every spelling)', () => {
  const serializer = new JsonSerializer();

  it.each(SPELLINGS)('refuses %s in a request body with PIT-400, at any depth', (key) => {
    for (const doc of [`{${key}:{"x":1}}`, `{"a":[1,{"b":{${key}:1}}]}`, `[{"ok":true},{${key}:null}]`]) {
      let thrown: unknown;
      try {
        serializer.decode(utf8Encode(doc));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PitayaError);
      expect((thrown as PitayaError).code).toBe('PIT-400');
    }
  });

  it.each(SPELLINGS)('refuses %s in session data arriving from a backend', (key) => {
    const data = new Data();
    expect(() => data.setEncodedData(`{"a":{${key}:{"polluted":true}}}`)).toThrow(/forbidden key/);
    expect(data.data()).toEqual({});
  });

  it.each(SPELLINGS)('refuses %s in a handshake', (key) => {
    const body = utf8Encode(`{"sys":{"platform":"x"},"user":{${key}:{"a":1}}}`);
    expect(() => decodeHandshakeRequest(body)).toThrow(ProtocolError);
    try {
      decodeHandshakeRequest(body);
    } catch (error) {
      expect((error as ProtocolError).reason).toBe('FORBIDDEN_KEY');
    }
  });

  it('accepts lookalike keys and values, escaped or not', () => {
    const doc = '{"text":"__proto__ and \\"constructor\\"","\\u0061":"\\u005f_proto__","constructors":1,"proto":[{"prototype_":2}]}';
    expect(serializer.decode(utf8Encode(doc))).toEqual({ text: '__proto__ and "constructor"', a: '__proto__', constructors: 1, proto: [{ prototype_: 2 }] });
    expect(decodeHandshakeRequest(encodeHandshakeRequest({ sys: { platform: 'web' }, user: { name: 'constructor' } })).user).toEqual({ name: 'constructor' });
  });

  it('walks deep documents without overflowing the stack', () => {
    const deep = '['.repeat(5000) + '{"\\u005f_proto__":1}' + ']'.repeat(5000);
    expect(() => serializer.decode(utf8Encode(deep))).toThrow(/forbidden key/);
  });
});
