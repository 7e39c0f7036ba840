import { decodeMultiPush, encodeMultiPushReply, MULTI_PUSH_MAX_PUSHES, type BatchPush } from '../../src/messaging/batch-push';
import { MultiPushQueue } from '../../src/messaging/multi-push-queue';

const push = (n: number, uids: string[] = ['a', 'b']): BatchPush => ({ route: 'onMsg', data: Buffer.from(`{"n":${n}}`), uids });
const bodyOf = (p: BatchPush): string => Buffer.from(p.data).toString();

/** A frontend stub: records each call's pushes and answers "b not delivered" for each. */
function recorder(answer: (pushes: BatchPush[]) => Uint8Array = (pushes) => encodeMultiPushReply(pushes.map((p) => p.uids.filter((u) => u === 'b')))) {
  const calls: { serverId: string; pushes: BatchPush[] }[] = [];
  const queue = new MultiPushQueue(async (serverId, body) => {
    const pushes = decodeMultiPush(body);
    calls.push({ serverId, pushes });
    return answer(pushes);
  });
  return { calls, queue };
}

describe('MultiPushQueue (one sys.pushusersmulti per frontend per turn)', () => {
  it('sends the pushes queued in one turn to a frontend in one call, in order; each push gets its own answer', async () => {
    const { calls, queue } = recorder();
    const results = await Promise.all([queue.push('fe-1', push(1)), queue.push('fe-2', push(2)), queue.push('fe-1', push(3, ['b', 'c']))]);
    expect(calls.map((c) => ({ serverId: c.serverId, bodies: c.pushes.map(bodyOf) })).sort((x, y) => x.serverId.localeCompare(y.serverId))).toEqual([
      { serverId: 'fe-1', bodies: ['{"n":1}', '{"n":3}'] },
      { serverId: 'fe-2', bodies: ['{"n":2}'] },
    ]);
    expect(results).toEqual([['b'], ['b'], ['b']]);
  });

  it('a later turn is a later call', async () => {
    const { calls, queue } = recorder();
    await queue.push('fe-1', push(1));
    await queue.push('fe-1', push(2));
    expect(calls.map((c) => c.pushes.map(bodyOf))).toEqual([['{"n":1}'], ['{"n":2}']]);
  });

  it('splits a turn over several calls at MULTI_PUSH_MAX_PUSHES, keeping the order', async () => {
    const { calls, queue } = recorder();
    const n = MULTI_PUSH_MAX_PUSHES + 3;
    await Promise.all(Array.from({ length: n }, (_, i) => queue.push('fe-1', push(i, ['a']))));
    expect(calls.map((c) => c.pushes.length)).toEqual([MULTI_PUSH_MAX_PUSHES, 3]);
    expect(calls.flatMap((c) => c.pushes.map(bodyOf))).toEqual(Array.from({ length: n }, (_, i) => `{"n":${i}}`));
  });

  it('a failed call fails every push it carried, and only those', async () => {
    const queue = new MultiPushQueue(async (serverId) => {
      if (serverId === 'down') throw new Error('unreachable');
      return encodeMultiPushReply([[]]);
    });
    const outcomes = await Promise.allSettled([queue.push('down', push(1)), queue.push('down', push(2)), queue.push('up', push(3))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('a reply that does not answer every push fails them', async () => {
    const { queue } = recorder(() => encodeMultiPushReply([[]]));
    const outcomes = await Promise.allSettled([queue.push('fe-1', push(1)), queue.push('fe-1', push(2))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
