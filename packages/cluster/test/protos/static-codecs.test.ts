/**
 * The static codecs of the forwarded-request messages against the reflection codec (the reference: it
 * is byte-identical to Go, see pitaya-codecs.test.ts for the Go vectors, which now run through the
 * static codecs): same bytes for any value, same decoded shapes, round trips, and hostile bytes rejected
 * with a clear error.
 */
import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { createProtoCodec, loadPitayaRoot, MsgType, pitayaCodecs, RPCType, type ProtoCodec, type ProtoInit } from '@pitaya-ts/cluster';
import { createStaticCodecs } from '@pitaya-ts/cluster/internal';
import type { PitayaRequest, PitayaResponse, ProtoError, ProtoMsg, ProtoSession } from '../../src/protos/proto-types';

const RUNS = { numRuns: 300 };
const fast = createStaticCodecs();
const reflection = {
  Request: createProtoCodec<PitayaRequest>('protos.Request'),
  Response: createProtoCodec<PitayaResponse>('protos.Response'),
  Session: createProtoCodec<ProtoSession>('protos.Session'),
  Msg: createProtoCodec<ProtoMsg>('protos.Msg'),
  Error: createProtoCodec<ProtoError>('protos.Error'),
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Values as callers give them: any field may be absent, defaults included, every unit of Unicode text.
const text = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', minLength: 100, maxLength: 300 }));
const bytes = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 128, maxLength: 20_000 }).map((a) => Buffer.from(a)));
const uint = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.maxSafeNat());
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const session = fc.record({ id: opt(uint), uid: opt(text), data: opt(bytes) }, { requiredKeys: [] });
const msg = fc.record(
  { id: opt(uint), route: opt(text), data: opt(bytes), reply: opt(text), type: opt(fc.constantFrom(MsgType.MsgRequest, MsgType.MsgNotify, MsgType.MsgResponse, MsgType.MsgPush)) },
  { requiredKeys: [] },
);
const request = fc.record(
  { type: opt(fc.constantFrom(RPCType.Sys, RPCType.User)), session: opt(session), msg: opt(msg), frontendID: opt(text), metadata: opt(bytes) },
  { requiredKeys: [] },
) as fc.Arbitrary<ProtoInit<PitayaRequest>>;
const error = fc.record({ code: opt(text), msg: opt(text), metadata: opt(fc.dictionary(text, text, { maxKeys: 5 })) }, { requiredKeys: [] });
const response = fc.record({ data: opt(bytes), error: opt(error) }, { requiredKeys: [] }) as fc.Arbitrary<ProtoInit<PitayaResponse>>;

/**
 * The one intended difference in decoded values: the reflection codec gives an `Error.metadata` key
 * `__proto__` as an own property, the static codec drops it (an own `__proto__` turns into a prototype
 * the moment someone `Object.assign`s the map).
 */
function withoutProtoKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = withoutProtoKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Encodes with both codecs; the bytes must be equal, and both decoders must read them to the same value. */
function sameAsReflection<T>(name: keyof typeof reflection, value: ProtoInit<T>): { bytes: Buffer; decoded: T } {
  const expected = (reflection[name] as unknown as ProtoCodec<T>).encode(value);
  const actual = (fast[name] as unknown as ProtoCodec<T>).encode(value);
  expect(hex(actual)).toBe(hex(expected));
  const decoded = (fast[name] as unknown as ProtoCodec<T>).decode(actual);
  expect(decoded).toStrictEqual(withoutProtoKeys((reflection[name] as unknown as ProtoCodec<T>).decode(expected)));
  return { bytes: actual, decoded };
}

describe('static codecs: the same bytes as the reflection codec', () => {
  it('Request (with Session and Msg): equal bytes, equal decoded shape, and a round trip', () => {
    fc.assert(
      fc.property(request, (value) => {
        const { decoded } = sameAsReflection<PitayaRequest>('Request', value);
        expect(decoded.type).toBe(value.type ?? 0);
        expect(decoded.frontendID).toBe(value.frontendID ?? '');
        expect(hex(decoded.metadata)).toBe(hex(value.metadata ?? new Uint8Array(0)));
        expect('session' in decoded).toBe(value.session !== undefined);
        if (value.session) expect(decoded.session).toEqual({ id: value.session.id ?? 0, uid: value.session.uid ?? '', data: Buffer.from(value.session.data ?? []) });
        if (value.msg) {
          const m = value.msg;
          expect(decoded.msg).toEqual({ id: m.id ?? 0, route: m.route ?? '', data: Buffer.from(m.data ?? []), reply: m.reply ?? '', type: m.type ?? 0 });
        }
      }),
      RUNS,
    );
  });

  it('Response (with Error, map entries in insertion order): equal bytes and a round trip', () => {
    fc.assert(
      fc.property(response, (value) => {
        const { decoded } = sameAsReflection<PitayaResponse>('Response', value);
        expect(hex(decoded.data)).toBe(hex(value.data ?? new Uint8Array(0)));
        if (value.error) {
          expect(decoded.error?.code).toBe(value.error.code ?? '');
          expect(decoded.error?.msg).toBe(value.error.msg ?? '');
        } else expect('error' in decoded).toBe(false);
      }),
      RUNS,
    );
  });

  it('Session, Msg and Error on their own', () => {
    fc.assert(fc.property(session, (v) => void sameAsReflection<ProtoSession>('Session', v)), RUNS);
    fc.assert(fc.property(msg, (v) => void sameAsReflection<ProtoMsg>('Msg', v as ProtoInit<ProtoMsg>)), RUNS);
    fc.assert(fc.property(error, (v) => void sameAsReflection<ProtoError>('Error', v)), RUNS);
  });

  it('edge values: empty sub-messages, varint boundaries, null fields, multi-byte text', () => {
    const edges: ProtoInit<PitayaRequest>[] = [
      {},
      { session: {}, msg: {} },
      { type: RPCType.Sys, session: { id: 0, uid: '', data: Buffer.alloc(0) }, frontendID: '', metadata: new Uint8Array(0) },
      { session: { id: 127 }, msg: { id: 128 } },
      { session: { id: 2 ** 31 - 1 }, msg: { id: 2 ** 31 } },
      { session: { id: 2 ** 32 }, msg: { id: Number.MAX_SAFE_INTEGER } },
      { session: { uid: 'é😀中' }, frontendID: 'x'.repeat(200), msg: { route: 'r'.repeat(16_384), type: MsgType.MsgPush } },
      { session: null, msg: null, frontendID: null } as unknown as ProtoInit<PitayaRequest>,
    ];
    for (const value of edges) sameAsReflection<PitayaRequest>('Request', value);
    sameAsReflection<PitayaResponse>('Response', { error: {} });
    sameAsReflection<PitayaResponse>('Response', { data: Buffer.from('ack'), error: { metadata: { '': '', '1': 'a', b: '' } } });
  });

  it('leaves unusual inputs to the reflection codec: same bytes, or the same error', () => {
    const unusual: ProtoInit<PitayaRequest>[] = [
      { session: { id: -1 } }, // negative int64: ten-byte varint
      { session: { id: -(2 ** 40) }, msg: { id: -5 } },
      { session: { id: 2 ** 60 } }, // beyond 2^53
      { metadata: 'AQID' as unknown as Uint8Array }, // base64 text for bytes
      { metadata: [1, 2, 3] as unknown as Uint8Array },
      { session: 5 as unknown as ProtoInit<ProtoSession> },
    ];
    for (const value of unusual) sameAsReflection<PitayaRequest>('Request', value);
    sameAsReflection<PitayaResponse>('Response', { error: { metadata: JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string> } });

    const wrong: ProtoInit<PitayaRequest>[] = [
      { type: 7 as RPCType },
      { type: 'User' as unknown as RPCType },
      { frontendID: 5 as unknown as string },
      { msg: { type: 9 as MsgType } },
      { session: { id: 1.5 } },
    ];
    for (const value of wrong) {
      expect(() => reflection.Request.encode(value)).toThrow(/cannot encode protos.Request/);
      expect(() => fast.Request.encode(value)).toThrow(/cannot encode protos.Request/);
    }
    expect(() => fast.Response.encode({ error: { metadata: { a: 1 as unknown as string } } })).toThrow(/cannot encode protos.Response/);
  });

  it('is what pitayaCodecs and the gRPC service use for the forwarded-request messages', () => {
    expect(pitayaCodecs.Request.encode({ metadata: Buffer.from('{}') })).toEqual(Buffer.from('2a027b7d', 'hex'));
    expect(pitayaCodecs.Request.typeName).toBe('protos.Request');
    expect(pitayaCodecs.Response.typeName).toBe('protos.Response');
  });
});

describe('static codecs: decoding', () => {
  const valid = fast.Request.encode({
    type: RPCType.Sys,
    session: { id: 300, uid: 'u-1', data: Buffer.from('{"a":1}') },
    msg: { id: 70_000, route: 'room.room.join', data: Buffer.from('{}'), type: MsgType.MsgNotify },
    frontendID: 'fe',
    metadata: Buffer.from('{"peer.id":"fe"}'),
  });
  const expected = fast.Request.decode(valid);

  it('skips unknown fields of every wire type, and a known field with an unexpected wire type', () => {
    const unknown = Buffer.from(
      [
        '3801', // field 7 varint
        '41' + '0102030405060708', // field 8 fixed64
        '4a03616263', // field 9 length-delimited
        '53' + '5801' + '5b' + '6200' + '5c' + '54', // field 10 group holding a varint and a nested group
        '6d' + '01020304', // field 13 fixed32
        '0a0178', // field 1 (type, a varint) sent length-delimited
        'f8ffffff0f01', // field 2^29 - 1 (the largest) varint, with a five-byte tag
      ].join(''),
      'hex',
    );
    expect(fast.Request.decode(Buffer.concat([unknown, valid]))).toStrictEqual(expected);
    expect(fast.Request.decode(Buffer.concat([valid, unknown]))).toStrictEqual(expected);
    expect(fast.Response.decode(Buffer.concat([unknown.subarray(0, 16), Buffer.from('0a0161', 'hex')]))).toEqual({ data: Buffer.from('a') });
  });

  it('reads the last value of a repeated scalar and a 64-bit id like protobufjs', () => {
    expect(fast.Request.decode(Buffer.from('08010800', 'hex')).type).toBe(0);
    // int64 -1 (ten bytes) and uint64 2^53 - 1.
    const ids = Buffer.from('120b08ffffffffffffffffff01' + '1a0908ffffffffffffff0f', 'hex');
    expect(fast.Request.decode(ids)).toStrictEqual(reflection.Request.decode(ids));
    expect(fast.Request.decode(ids).session?.id).toBe(-1);
    expect(fast.Request.decode(ids).msg?.id).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('decodes any Uint8Array into Buffer views of the input', () => {
    const view = new Uint8Array(valid.buffer.slice(valid.byteOffset, valid.byteOffset + valid.length));
    const decoded = fast.Request.decode(view);
    expect(decoded).toStrictEqual(expected);
    expect(Buffer.isBuffer(decoded.metadata)).toBe(true);
    expect(decoded.metadata.buffer).toBe(view.buffer);
  });

  it('never lets an Error.metadata key reach the prototype', () => {
    const polluting = Buffer.from('120f1a0d0a095f5f70726f746f5f5f1200', 'hex'); // {"__proto__": ""}
    const decoded = fast.Response.decode(polluting);
    expect(Object.getPrototypeOf(decoded.error!.metadata)).toBe(Object.prototype);
    expect(Object.keys(decoded.error!.metadata)).toEqual([]);
  });

  it.each([
    ['a length beyond the buffer', '1aff01'],
    ['a 4 GiB length', '2affffffff0f'],
    ['a 2^40 length', '2a8080808080a001'],
    ['a varint longer than ten bytes', '08ffffffffffffffffffff01'],
    ['a truncated varint', '08ff'],
    ['a truncated tag', '80'],
    ['field number 0', '0001'],
    ['wire type 6', '0e'],
    ['wire type 7', '0f'],
    ['an end-group without a start', '54'],
    ['an unterminated group', '5358'],
    ['groups nested too deep', '53'.repeat(100)],
    ['a truncated fixed64', '410102'],
    ['a truncated fixed32', '6d01'],
    ['a sub-message longer than its parent', '1203' + '0a0561'],
    ['a sub-message field overrunning its length', '1a02' + '1205616263'],
  ])('rejects %s with a clear error', (_name, bytesHex) => {
    const input = Buffer.from(bytesHex, 'hex');
    expect(() => fast.Request.decode(input)).toThrow(/^cannot decode protos.Request: /);
  });

  it('only ever throws its own error on random and truncated bytes', () => {
    const decodeOrError = (codec: ProtoCodec<unknown>, b: Uint8Array): void => {
      try {
        codec.decode(b);
      } catch (e) {
        expect((e as Error).message).toMatch(/^cannot decode protos\.(Request|Response): /);
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        decodeOrError(fast.Request as ProtoCodec<unknown>, b);
        decodeOrError(fast.Response as ProtoCodec<unknown>, b);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(request, fc.nat(), (value, cut) => {
        const b = fast.Request.encode(value);
        decodeOrError(fast.Request as ProtoCodec<unknown>, b.subarray(0, cut % (b.length + 1)));
      }),
      RUNS,
    );
  });
});

describe('static codecs: layout', () => {
  // The static codecs are hand-written from these declarations; a change in proto/ must fail here.
  const layout: Record<string, [string, number, string][]> = {
    'protos.Request': [['type', 1, 'RPCType'], ['session', 2, 'Session'], ['msg', 3, 'Msg'], ['frontendID', 4, 'string'], ['metadata', 5, 'bytes']],
    'protos.Session': [['id', 1, 'int64'], ['uid', 2, 'string'], ['data', 3, 'bytes']],
    'protos.Msg': [['id', 1, 'uint64'], ['route', 2, 'string'], ['data', 3, 'bytes'], ['reply', 4, 'string'], ['type', 5, 'MsgType']],
    'protos.Response': [['data', 1, 'bytes'], ['error', 2, 'Error']],
    'protos.Error': [['code', 1, 'string'], ['msg', 2, 'string'], ['metadata', 3, 'string']],
  };

  it.each(Object.keys(layout))('%s matches proto/', (typeName) => {
    const type = loadPitayaRoot().lookupType(typeName);
    expect(type.fieldsArray.map((f) => [f.name, f.id, f.type])).toEqual(layout[typeName]);
    expect(type.fieldsArray.some((f) => f.repeated)).toBe(false);
    const metadata = type.fields.metadata;
    if (typeName === 'protos.Error') expect(metadata instanceof protobuf.MapField && metadata.keyType).toBe('string');
    expect(loadPitayaRoot().lookupEnum('protos.RPCType').values).toEqual({ Sys: 0, User: 1 });
    expect(loadPitayaRoot().lookupEnum('protos.MsgType').values).toEqual({ MsgRequest: 0, MsgNotify: 1, MsgResponse: 2, MsgPush: 3 });
  });
});
