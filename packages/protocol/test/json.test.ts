import { goJsonStringify } from '@pitaya-ts/protocol';

describe('goJsonStringify', () => {
  test('is JSON.stringify where Go agrees', () => {
    const v = { b: 1, a: [true, null, 1.5, 1e21, 1e-7], s: 'tab\t"q"\\ \u0001 é 🎲' };
    expect(goJsonStringify(v)).toBe(JSON.stringify(v));
  });

  test('escapes <, >, &, U+2028 and U+2029 like Go', () => {
    expect(goJsonStringify({ '<k>': 'a&b\u2028\u2029' })).toBe('{"\\u003ck\\u003e":"a\\u0026b\\u2028\\u2029"}');
  });

  test('lone surrogates become \\ufffd (Go writes invalid UTF-8 so); literal backslashes survive', () => {
    expect(goJsonStringify('a\ud800b\udfffc')).toBe('"a\\ufffdb\\ufffdc"');
    expect(goJsonStringify('\\ud800')).toBe('"\\\\ud800"');
    expect(goJsonStringify('\\\ud800')).toBe('"\\\\\\ufffd"');
    expect(goJsonStringify('🎲')).toBe('"🎲"');
  });

  test('undefined gives null', () => {
    expect(goJsonStringify(undefined)).toBe('null');
  });
});
