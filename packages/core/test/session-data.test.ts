import { SessionData } from '@pitaya-ts/core';

class Data extends SessionData {}

describe('SessionData encoded bytes (what a forwarded request carries)', () => {
  it('are the UTF-8 of encodedData(), made once and reused while the data does not change', () => {
    const data = new Data();
    expect(data.encodedDataBytes().toString()).toBe('{}');
    data.set('name', 'zoë');
    const bytes = data.encodedDataBytes();
    expect(bytes).toEqual(Buffer.from(data.encodedData(), 'utf8'));
    expect(data.encodedDataBytes()).toBe(bytes);
    expect(data.get('name')).toBe('zoë');
    expect(data.encodedDataBytes()).toBe(bytes);
  });

  it.each<[string, (d: Data) => void, string]>([
    ['set', (d) => d.set('b', 2), '{"a":1,"b":2}'],
    ['remove', (d) => d.remove('a'), '{}'],
    ['clear', (d) => d.clear(), '{}'],
    ['setData', (d) => d.setData({ c: [1] }), '{"c":[1]}'],
    ['setEncodedData (text)', (d) => d.setEncodedData('{"d":true}'), '{"d":true}'],
    ['setEncodedData (bytes)', (d) => d.setEncodedData(Buffer.from('{"e":"x"}')), '{"e":"x"}'],
    ['setEncodedData ({} bytes)', (d) => d.setEncodedData(Buffer.from('{}')), '{}'],
  ])('follow every change of the data: %s', (_name, change, expected) => {
    const data = new Data();
    data.set('a', 1);
    expect(data.encodedDataBytes().toString()).toBe('{"a":1}');
    change(data);
    expect(data.encodedDataBytes().toString()).toBe(expected);
    expect(JSON.parse(data.encodedDataBytes().toString())).toEqual(data.data());
  });

  it('reads {} bytes without parsing, as an empty object that later changes do not share', () => {
    const a = new Data();
    const b = new Data();
    a.setEncodedData(Buffer.from('{}'));
    b.setEncodedData(new Uint8Array([0x7b, 0x7d]));
    a.set('x', 1);
    expect(a.data()).toEqual({ x: 1 });
    expect(b.data()).toEqual({});
    expect(b.has('toString')).toBe(false);
    expect(b.encodedDataBytes().toString()).toBe('{}');
    // Empty input still changes nothing (Pitaya's SetDataEncoded).
    a.setEncodedData(new Uint8Array(0));
    expect(a.data()).toEqual({ x: 1 });
  });
});

describe('SessionData values (own keys only, fast objects)', () => {
  it.each<[string, (d: Data) => void]>([
    ['a new session', () => undefined],
    ['after set', (d) => d.set('a', 1)],
    ['after clear', (d) => d.clear()],
    ['after setData', (d) => d.setData({ a: 1 })],
    ['after setEncodedData', (d) => d.setEncodedData('{"a":1}')],
  ])('never finds an inherited key (%s): toString, constructor, hasOwnProperty, valueOf', (_name, change) => {
    const data = new Data();
    change(data);
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      expect(data.get(key)).toBeUndefined();
      expect(data.has(key)).toBe(false);
    }
    expect(Object.keys(data.data()).every((k) => k === 'a')).toBe(true);
  });

  it('stores keys named like Object.prototype methods as plain data (constructor and __proto__ stay refused)', () => {
    const data = new Data();
    data.set('toString', 'x');
    data.set('valueOf', 2);
    expect(data.get('toString')).toBe('x');
    expect(data.has('valueOf')).toBe(true);
    expect(JSON.parse(data.encodedData())).toEqual({ toString: 'x', valueOf: 2 });
    data.remove('toString');
    expect(data.has('toString')).toBe(false);
  });

  it('sessions never share one values object', () => {
    const a = new Data();
    const b = new Data();
    a.set('k', 1);
    expect(b.has('k')).toBe(false);
    b.clear();
    a.clear();
    a.set('k', 2);
    expect(b.get('k')).toBeUndefined();
  });
});
