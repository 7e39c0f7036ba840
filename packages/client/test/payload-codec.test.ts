import { decodeBody, encodeBody } from '../src/payload-codec';

describe('payload codec', () => {
  test('json', () => {
    expect(new TextDecoder().decode(encodeBody({ a: [1, 'é'] }, 'json'))).toBe('{"a":[1,"é"]}');
    expect(encodeBody(undefined, 'json').length).toBe(0);
    expect(decodeBody(new TextEncoder().encode('{"a":1}'), 'json')).toEqual({ a: 1 });
    expect(decodeBody(new Uint8Array(0), 'json')).toBeUndefined();
    expect(decodeBody(new TextEncoder().encode('null'), 'json')).toBeNull();
  });

  test('json mode returns non-JSON payloads as a detached copy of the bytes', () => {
    const buf = new TextEncoder().encode('ack');
    const out = decodeBody(buf, 'json') as Uint8Array;
    buf[0] = 0;
    expect(new TextDecoder().decode(out)).toBe('ack');
  });

  test('raw', () => {
    const bytes = Uint8Array.of(1, 2);
    expect(encodeBody(bytes, 'raw')).toBe(bytes);
    expect(() => encodeBody('nope', 'raw')).toThrow(TypeError);
    expect([...(decodeBody(bytes, 'raw') as Uint8Array)]).toEqual([1, 2]);
  });
});
