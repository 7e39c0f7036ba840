import { PitayaError } from '@pitaya-ts/core';
import {
  BATCH_PUSH_MAX_UIDS, MULTI_PUSH_MAX_PUSHES, MULTI_PUSH_MAX_UIDS, decodeBatchPush, decodeBatchPushReply, decodeMultiPush, decodeMultiPushReply,
  encodeBatchPush, encodeBatchPushReply, encodeMultiPush, encodeMultiPushReply, type BatchPush,
} from '../../src/messaging/batch-push';

const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const str = (s: string): number[] => [...u16(Buffer.byteLength(s)), ...Buffer.from(s)];

describe('batched push between pitaya-ts servers (sys.pushusers)', () => {
  it('round-trips route, body bytes and uids (UTF-8 included); the reply names the uids not delivered', () => {
    const data = Uint8Array.from([0, 1, 2, 250, 255]);
    const decoded = decodeBatchPush(encodeBatchPush({ route: 'onNewUser', data, uids: ['a', 'b:1', 'ünï', ''] }));
    expect(decoded.route).toBe('onNewUser');
    expect([...decoded.data]).toEqual([...data]);
    expect(decoded.uids).toEqual(['a', 'b:1', 'ünï', '']);
    expect(decodeBatchPushReply(encodeBatchPushReply(['b:1', 'ü']))).toEqual(['b:1', 'ü']);
    expect(decodeBatchPushReply(encodeBatchPushReply([]))).toEqual([]);
  });

  it('carries the body as raw bytes after the header (no base64, no JSON)', () => {
    const data = Buffer.from('{"x":1}');
    const encoded = Buffer.from(encodeBatchPush({ route: 'r', data, uids: ['u'] }));
    expect([...encoded]).toEqual([...str('r'), ...u16(1), ...str('u'), ...data]);
  });

  it('takes up to BATCH_PUSH_MAX_UIDS uids and refuses to build more', () => {
    const uids = Array.from({ length: BATCH_PUSH_MAX_UIDS }, (_, i) => `user-${i}`);
    expect(decodeBatchPush(encodeBatchPush({ route: 'r', data: new Uint8Array(0), uids })).uids).toEqual(uids);
    expect(() => encodeBatchPush({ route: 'r', data: new Uint8Array(0), uids: [...uids, 'one-more'] })).toThrow(RangeError);
  });

  it.each([
    ['empty', []],
    ['a route length past the end', [...u16(50), 0x61]],
    ['no uid count', str('r')],
    ['a uid count over the bound', [...str('r'), ...u16(BATCH_PUSH_MAX_UIDS + 1), ...Array.from({ length: 2 * (BATCH_PUSH_MAX_UIDS + 1) }, () => 0)]],
    ['a uid count the bytes cannot hold', [...str('r'), ...u16(60_000)]],
    ['a uid length past the end', [...str('r'), ...u16(1), ...u16(9), 0x61]],
    ['v1 JSON', [...Buffer.from('{"route":"r","uids":[],"data":""}')]],
  ])('refuses a malformed batch (%s) with PIT-400', (_what, bytes) => {
    const body = Uint8Array.from(bytes);
    let error: unknown;
    try {
      decodeBatchPush(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PitayaError);
    expect((error as PitayaError).code).toBe('PIT-400');
  });

  it('refuses a malformed reply', () => {
    expect(() => decodeBatchPushReply(Uint8Array.from([0, 2, 0, 1, 0x61]))).toThrow('invalid batched push reply');
    expect(() => decodeBatchPushReply(Uint8Array.from([0, 0, 7]))).toThrow('invalid batched push reply');
  });
});

describe('several batched pushes in one call (sys.pushusersmulti)', () => {
  const push = (route: string, body: string, uids: string[]): BatchPush => ({ route, data: Buffer.from(body), uids });

  it('round-trips every push in order, bodies as raw bytes; each distinct uid list goes once; the reply answers each push', () => {
    const pushes = [push('onA', '{"a":1}', ['u1', 'ü2']), push('onB', '', []), push('onA', '{"a":2}', ['u1', 'ü2'])];
    const encoded = Buffer.from(encodeMultiPush(pushes));
    const lists = [...u16(2), ...u16(2), ...str('u1'), ...str('ü2'), ...u16(0)];
    const first = [...lists, ...u16(3), ...str('onA'), ...u16(0), 0, 0, 0, 7, ...Buffer.from('{"a":1}')];
    expect([...encoded.subarray(0, first.length)]).toEqual(first);
    const decoded = decodeMultiPush(encoded);
    expect(decoded.map((p) => ({ route: p.route, body: Buffer.from(p.data).toString(), uids: p.uids }))).toEqual([
      { route: 'onA', body: '{"a":1}', uids: ['u1', 'ü2'] },
      { route: 'onB', body: '', uids: [] },
      { route: 'onA', body: '{"a":2}', uids: ['u1', 'ü2'] },
    ]);
    // Pushes to the same list share its array: that is how the frontend finds a run to write at once.
    expect(decoded[2]!.uids).toBe(decoded[0]!.uids);
    expect(decodeMultiPushReply(encodeMultiPushReply([['ü2'], [], ['u1']]), 3)).toEqual([['ü2'], [], ['u1']]);
  });

  it('encodes a room list once however many of its broadcasts share the call, equal lists found by content', () => {
    const members = Array.from({ length: 500 }, (_, i) => `player-${i}`);
    const one = encodeMultiPush([push('onMsg', '{}', members)]).byteLength;
    // Separate arrays with the same uids (each broadcast builds its own), interleaved with another room.
    const other = ['x', 'y'];
    const many = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? push('onMsg', '{}', [...other]) : push('onMsg', '{}', [...members])));
    const encoded = encodeMultiPush(many);
    const perPush = 2 + 5 + 2 + 4 + 2;
    expect(encoded.byteLength).toBe(one + 29 * perPush + (2 + 2 * 3));
    const decoded = decodeMultiPush(encoded);
    expect(decoded.map((p) => p.uids.length)).toEqual(many.map((p) => p.uids.length));
    expect(new Set(decoded.map((p) => p.uids)).size).toBe(2);
    // Same length, first and last uid, different middle: still two lists.
    const twin = [...members];
    twin[250] = 'someone-else';
    const twins = decodeMultiPush(encodeMultiPush([push('r', '', members), push('r', '', twin)]));
    expect(twins[1]!.uids).toEqual(twin);
    expect(twins[1]!.uids).not.toBe(twins[0]!.uids);
  });

  it('refuses to build an empty call, more than MULTI_PUSH_MAX_PUSHES pushes or MULTI_PUSH_MAX_UIDS deliveries', () => {
    expect(() => encodeMultiPush([])).toThrow(RangeError);
    expect(() => encodeMultiPush(Array.from({ length: MULTI_PUSH_MAX_PUSHES + 1 }, () => push('r', '', [])))).toThrow(RangeError);
    const full = Array.from({ length: BATCH_PUSH_MAX_UIDS }, (_, i) => `u${i}`);
    // A shared list still counts once per push: the bound is on the frontend's deliveries.
    const over = Array.from({ length: Math.floor(MULTI_PUSH_MAX_UIDS / BATCH_PUSH_MAX_UIDS) + 1 }, () => push('r', '', full));
    expect(() => encodeMultiPush(over)).toThrow(RangeError);
  });

  const list = [...u16(1), ...str('u')];
  const one = [...str('r'), ...u16(0), 0, 0, 0, 2, 0x7b, 0x7d];
  it.each([
    ['empty', []],
    ['no lists', [...u16(0), ...u16(1), ...one]],
    ['a list count over the bound', u16(MULTI_PUSH_MAX_PUSHES + 1)],
    ['fewer lists than counted', [...u16(2), ...list]],
    ['a uid count over the bound', [...u16(1), ...u16(BATCH_PUSH_MAX_UIDS + 1)]],
    ['no push count', [...u16(1), ...list]],
    ['a zero push count', [...u16(1), ...list, ...u16(0)]],
    ['a push count over the bound', [...u16(1), ...list, ...u16(MULTI_PUSH_MAX_PUSHES + 1)]],
    ['fewer pushes than lists', [...u16(2), ...list, ...list, ...u16(1), ...one]],
    ['fewer pushes than counted', [...u16(1), ...list, ...u16(2), ...one]],
    ['a list index past the lists', [...u16(1), ...list, ...u16(1), ...str('r'), ...u16(1), 0, 0, 0, 0]],
    ['a body length past the end', [...u16(1), ...list, ...u16(1), ...str('r'), ...u16(0), 0, 0, 1, 0]],
    ['trailing bytes', [...u16(1), ...list, ...u16(1), ...one, 0]],
    ['the version 1 layout', [...u16(1), ...str('r'), ...u16(1), ...str('u'), 0, 0, 0, 2, 0x7b, 0x7d]],
  ])('refuses a malformed multi push (%s) with PIT-400', (_what, bytes) => {
    let error: unknown;
    try {
      decodeMultiPush(Uint8Array.from(bytes));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PitayaError);
    expect((error as PitayaError).code).toBe('PIT-400');
  });

  it('refuses more deliveries than MULTI_PUSH_MAX_UIDS however small the body (a short list referenced by many pushes)', () => {
    const full = Array.from({ length: BATCH_PUSH_MAX_UIDS }, (_, i) => `u${i}`);
    const bound = Math.floor(MULTI_PUSH_MAX_UIDS / BATCH_PUSH_MAX_UIDS);
    const call = (pushes: number): Uint8Array => {
      const bytes = [...u16(1), ...u16(full.length), ...full.flatMap(str), ...u16(pushes)];
      for (let i = 0; i < pushes; i++) bytes.push(...one);
      return Uint8Array.from(bytes);
    };
    expect(decodeMultiPush(call(bound))).toHaveLength(bound);
    expect(() => decodeMultiPush(call(bound + 1))).toThrow(PitayaError);
  });

  it('refuses a reply that does not answer exactly the pushes sent', () => {
    expect(() => decodeMultiPushReply(encodeMultiPushReply([[], []]), 3)).toThrow('invalid multi push reply');
    expect(() => decodeMultiPushReply(Uint8Array.from([...u16(1), ...u16(1)]), 1)).toThrow('invalid multi push reply');
    expect(() => decodeMultiPushReply(Uint8Array.from([...u16(1), ...u16(0), 9]), 1)).toThrow('invalid multi push reply');
  });
});
