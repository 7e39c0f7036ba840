import { PitayaError } from '@pitaya-ts/core';
import { BATCH_PUSH_MAX_UIDS, decodeBatchPush, decodeBatchPushReply, encodeBatchPush, encodeBatchPushReply } from '../../src/messaging/batch-push';

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
