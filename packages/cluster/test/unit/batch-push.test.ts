import { PitayaError } from '@pitaya-ts/core';
import { BATCH_PUSH_MAX_UIDS, decodeBatchPush, decodeBatchPushReply, encodeBatchPush, encodeBatchPushReply } from '../../src/messaging/batch-push';

describe('batched push between pitaya-ts servers (sys.pushusers)', () => {
  it('round-trips route, body bytes and uids; the reply names the uids not delivered', () => {
    const data = Uint8Array.from([0, 1, 2, 250, 255]);
    const decoded = decodeBatchPush(encodeBatchPush({ route: 'onNewUser', data, uids: ['a', 'b:1'] }));
    expect(decoded.route).toBe('onNewUser');
    expect([...decoded.data]).toEqual([...data]);
    expect(decoded.uids).toEqual(['a', 'b:1']);
    expect(decodeBatchPushReply(encodeBatchPushReply(['b:1']))).toEqual(['b:1']);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['uids not strings', '{"route":"r","data":"","uids":[1]}'],
    ['no route', '{"data":"","uids":[]}'],
    ['too many uids', JSON.stringify({ route: 'r', data: '', uids: Array.from({ length: BATCH_PUSH_MAX_UIDS + 1 }, (_, i) => String(i)) })],
  ])('refuses a malformed batch (%s) with PIT-400', (_what, body) => {
    expect(() => decodeBatchPush(Buffer.from(body))).toThrow(PitayaError);
    try {
      decodeBatchPush(Buffer.from(body));
    } catch (e) {
      expect((e as PitayaError).code).toBe('PIT-400');
    }
  });
});
