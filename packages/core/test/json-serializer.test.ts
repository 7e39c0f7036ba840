import { JsonSerializer } from '../src/serialize/json-serializer';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('JsonSerializer', () => {
  const json = new JsonSerializer();

  it('writes bytes as base64 like Go []byte, wherever they are nested', () => {
    const bytes = Uint8Array.of(1, 2, 3);
    expect(text(json.encode({ a: bytes }))).toBe('{"a":"AQID"}');
    expect(text(json.encode({ list: [{ deep: Buffer.from([1, 2, 3]) }] }))).toBe('{"list":[{"deep":"AQID"}]}');
    expect(text(json.encode([1, [bytes]]))).toBe('[1,["AQID"]]');
    expect(text(json.encode(bytes))).toBe('"AQID"');
  });

  it('honours toJSON results that are bytes, and Dates', () => {
    const custom = { toJSON: () => Uint8Array.of(255) };
    expect(text(json.encode({ custom }))).toBe('{"custom":"/w=="}');
    const at = new Date(0);
    expect(text(json.encode({ at }))).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('encodes plain values exactly as JSON.stringify does', () => {
    const value = { seq: 1, pad: 'x'.repeat(40), nested: { list: [true, null, 2.5, 'é'] }, skipped: undefined };
    expect(text(json.encode(value))).toBe(JSON.stringify(value));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => json.encode(undefined)).toThrow(TypeError);
  });
});
