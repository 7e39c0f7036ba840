import { ProtocolError, RouteDictionary } from '@pitaya-ts/protocol';
import { reasonOf } from '../support/bytes';

describe('RouteDictionary', () => {
  test('lookups both ways', () => {
    const d = new RouteDictionary({ 'room.join': 1, onMessage: 65535, zero: 0 });
    expect(d.size).toBe(3);
    expect(d.codeOf('room.join')).toBe(1);
    expect(d.routeOf(65535)).toBe('onMessage');
    expect(d.routeOf(0)).toBe('zero');
    expect(d.codeOf('nope')).toBeUndefined();
    expect(d.routeOf(2)).toBeUndefined();
    expect(new RouteDictionary().size).toBe(0);
  });

  test('a duplicate code fails with Go\'s message', () => {
    try {
      new RouteDictionary({ a: 1, b: 1 });
      throw new Error('unreachable');
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).reason).toBe('DUPLICATE_ROUTE');
      expect((e as ProtocolError).message).toBe('duplicated route(route: b, code: 1)');
    }
  });

  test('routes are trimmed like SetDictionary, so " a" and "a" collide', () => {
    expect(reasonOf(() => new RouteDictionary({ a: 1, ' a ': 2 }))).toBe('DUPLICATE_ROUTE');
    expect(new RouteDictionary({ ' b ': 3 }).codeOf('b')).toBe(3);
  });

  test('codes must be integers in 0..65535', () => {
    for (const code of [-1, 65536, 1.5, NaN]) {
      expect(reasonOf(() => new RouteDictionary({ a: code }))).toBe('BAD_DICTIONARY_CODE');
    }
    expect(reasonOf(() => new RouteDictionary({ a: '1' as unknown as number }))).toBe('BAD_DICTIONARY_CODE');
  });

  test('toJSON sorts keys by code point (Go map order)', () => {
    const d = new RouteDictionary({ b: 2, a: 1, '\u{1F3B2}': 3, '\uFF5E': 4 });
    expect(JSON.stringify(d)).toBe('{"a":1,"b":2,"\uFF5E":4,"\u{1F3B2}":3}');
  });

  test('a "__proto__" route stays a plain key', () => {
    const d = new RouteDictionary(JSON.parse('{"__proto__":7}') as Record<string, number>);
    expect(d.codeOf('__proto__')).toBe(7);
    expect(JSON.stringify(d)).toBe('{"__proto__":7}');
  });
});
