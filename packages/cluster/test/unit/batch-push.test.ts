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

  it('round-trips every push in order, bodies as raw bytes; the reply answers each push', () => {
    const pushes = [push('onA', '{"a":1}', ['u1', 'ü2']), push('onB', '', []), push('onA', '{"a":2}', ['u1'])];
    const encoded = Buffer.from(encodeMultiPush(pushes));
    const first = [...u16(3), ...str('onA'), ...u16(2), ...str('u1'), ...str('ü2'), 0, 0, 0, 7, ...Buffer.from('{"a":1}')];
    expect([...encoded.subarray(0, first.length)]).toEqual(first);
    const decoded = decodeMultiPush(encoded);
    expect(decoded.map((p) => ({ route: p.route, body: Buffer.from(p.data).toString(), uids: p.uids }))).toEqual([
      { route: 'onA', body: '{"a":1}', uids: ['u1', 'ü2'] },
      { route: 'onB', body: '', uids: [] },
      { route: 'onA', body: '{"a":2}', uids: ['u1'] },
    ]);
    expect(decodeMultiPushReply(encodeMultiPushReply([['ü2'], [], ['u1']]), 3)).toEqual([['ü2'], [], ['u1']]);
  });

  it('refuses to build an empty call, more than MULTI_PUSH_MAX_PUSHES pushes or MULTI_PUSH_MAX_UIDS uids', () => {
    expect(() => encodeMultiPush([])).toThrow(RangeError);
    expect(() => encodeMultiPush(Array.from({ length: MULTI_PUSH_MAX_PUSHES + 1 }, () => push('r', '', [])))).toThrow(RangeError);
    const full = Array.from({ length: BATCH_PUSH_MAX_UIDS }, (_, i) => `u${i}`);
    const over = Array.from({ length: Math.floor(MULTI_PUSH_MAX_UIDS / BATCH_PUSH_MAX_UIDS) + 1 }, () => push('r', '', full));
    expect(() => encodeMultiPush(over)).toThrow(RangeError);
  });

  const one = [...str('r'), ...u16(1), ...str('u'), 0, 0, 0, 2, 0x7b, 0x7d];
  it.each([
    ['empty', []],
    ['a zero count', u16(0)],
    ['a count over the bound', u16(MULTI_PUSH_MAX_PUSHES + 1)],
    ['fewer pushes than counted', [...u16(2), ...one]],
    ['a body length past the end', [...u16(1), ...str('r'), ...u16(0), 0, 0, 1, 0]],
    ['a uid count over the bound', [...u16(1), ...str('r'), ...u16(BATCH_PUSH_MAX_UIDS + 1)]],
    ['trailing bytes', [...u16(1), ...one, 0]],
    ['the single-push layout', [...str('r'), ...u16(1), ...str('u'), 0x7b, 0x7d]],
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

  it('refuses a reply that does not answer exactly the pushes sent', () => {
    expect(() => decodeMultiPushReply(encodeMultiPushReply([[], []]), 3)).toThrow('invalid multi push reply');
    expect(() => decodeMultiPushReply(Uint8Array.from([...u16(1), ...u16(1)]), 1)).toThrow('invalid multi push reply');
    expect(() => decodeMultiPushReply(Uint8Array.from([...u16(1), ...u16(0), 9]), 1)).toThrow('invalid multi push reply');
  });
});
