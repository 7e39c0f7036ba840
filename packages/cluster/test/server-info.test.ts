import {
  encodeServerInfo,
  newServerId,
  parseServerInfo,
  validateServerId,
  validateServerType,
  type ServerInfo,
} from '@pitaya-ts/cluster';

const connector: ServerInfo = {
  id: '1f0e8a4c-5b7d-4e5c-9a3e-2c1d0b9a8f7e',
  type: 'connector',
  metadata: { grpcPort: '3434', grpcHost: '10.0.0.1' },
  frontend: true,
  hostname: 'pod-abc',
};

describe('encodeServerInfo', () => {
  it("writes Go's exact JSON: field order, sorted metadata keys", () => {
    expect(encodeServerInfo(connector)).toBe(
      '{"id":"1f0e8a4c-5b7d-4e5c-9a3e-2c1d0b9a8f7e","type":"connector","metadata":{"grpcHost":"10.0.0.1","grpcPort":"3434"},"frontend":true,"hostname":"pod-abc"}',
    );
  });

  it('writes {} for empty metadata and false for a backend', () => {
    expect(encodeServerInfo({ id: 'r1', type: 'room', metadata: {}, frontend: false, hostname: '' })).toBe(
      '{"id":"r1","type":"room","metadata":{},"frontend":false,"hostname":""}',
    );
  });

  it("escapes like Go's encoding/json (HTML characters, U+2028/9, lone surrogates)", () => {
    const json = encodeServerInfo({ id: 'a<b>&c', type: 't', metadata: { k: 'x\u2028y\u2029"\\\n' }, frontend: false, hostname: 'h\ud800' });
    expect(json).toBe(
      '{"id":"a\\u003cb\\u003e\\u0026c","type":"t","metadata":{"k":"x\\u2028y\\u2029\\"\\\\\\n"},"frontend":false,"hostname":"h\\ufffd"}',
    );
  });

  it('sorts metadata keys by UTF-8 bytes as Go does', () => {
    // UTF-16 order would put U+1F600 (surrogates D83D…) before U+FFFD; UTF-8 order puts it after.
    const json = encodeServerInfo({ id: 'i', type: 't', metadata: { '\u{1F600}': '1', '\ufffd': '2', b: '3', a: '4' }, frontend: false, hostname: '' });
    expect(json).toContain('"metadata":{"a":"4","b":"3","\ufffd":"2","\u{1F600}":"1"}');
  });

  it('round-trips through parseServerInfo', () => {
    expect(parseServerInfo(encodeServerInfo(connector))).toEqual(connector);
    expect(parseServerInfo(Buffer.from(encodeServerInfo(connector)))).toEqual(connector);
  });
});

describe('parseServerInfo', () => {
  it("accepts Go's zero values: null metadata, missing frontend/hostname, unknown fields", () => {
    expect(parseServerInfo('{"id":"x","type":"room","metadata":null,"extra":1}')).toEqual({
      id: 'x',
      type: 'room',
      metadata: {},
      frontend: false,
      hostname: '',
    });
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /"\(root\)" must be an object, got an array/],
    ['{"type":"room"}', /"id" must be a non-empty string, got undefined/],
    ['{"id":"","type":"room"}', /"id" must be a non-empty string/],
    ['{"id":"x","type":7}', /"type" must be a non-empty string, got number/],
    ['{"id":"x","type":"t","metadata":[]}', /"metadata" must be an object/],
    ['{"id":"x","type":"t","metadata":{"p":1}}', /"metadata.p" must be a string, got number/],
    ['{"id":"x","type":"t","frontend":"yes"}', /"frontend" must be a boolean/],
    ['{"id":"x","type":"t","hostname":null}', /"hostname" must be a string, got null/],
  ])('rejects %s', (json, message) => {
    expect(() => parseServerInfo(json)).toThrow(message);
  });

  it('keeps a "__proto__" metadata key as data', () => {
    const info = parseServerInfo('{"id":"x","type":"t","metadata":{"__proto__":"v"}}');
    expect(Object.getPrototypeOf(info.metadata)).toBe(Object.prototype);
    expect(Object.keys(info.metadata)).toEqual(['__proto__']);
  });
});

describe('validation and ids', () => {
  it('validates server ids', () => {
    expect(() => validateServerId('abc-1.2')).not.toThrow();
    expect(() => validateServerId('')).toThrow(/non-empty/);
    expect(() => validateServerId('a/b')).toThrow(/must not contain "\/"/);
  });

  it('validates server types', () => {
    expect(() => validateServerType('connector')).not.toThrow();
    expect(() => validateServerType('')).toThrow(/non-empty/);
    expect(() => validateServerType('a/b')).toThrow(/"\/"/);
    expect(() => validateServerType('a.b')).toThrow(/"\."/);
  });

  it('creates random UUID v4 ids', () => {
    const id = newServerId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newServerId()).not.toBe(id);
  });
});
