import { CallPacer } from '../../src/rpc/grpc-call-pacing';

interface FakeCall {
  readonly id: number;
  cancelled: boolean;
}

/** Resolves after the check phase of the current turn of the event loop (and the pacer's callback scheduled before it). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function calls(n: number, from = 0): FakeCall[] {
  return Array.from({ length: n }, (_, i) => ({ id: from + i, cancelled: false }));
}

describe('CallPacer: gRPC calls started per turn of the event loop', () => {
  it('starts perTurn calls at once and the rest in later turns, in arrival order', async () => {
    const pacer = new CallPacer(4);
    const started: number[] = [];
    const done: string[] = [];
    const start = (call: FakeCall, tag: string): void => {
      started.push(call.id);
      done.push(tag);
    };
    for (const call of calls(10)) pacer.submit(call, `cb${call.id}`, start);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pacer.backlog).toBe(6);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Each call kept its own answer callback.
    expect(done).toEqual(started.map((id) => `cb${id}`));
    expect(pacer.backlog).toBe(0);
  });

  it('queues a call that arrives while others wait, even when its turn has room (no overtaking)', async () => {
    const pacer = new CallPacer(2);
    const started: number[] = [];
    const start = (call: FakeCall): void => void started.push(call.id);
    for (const call of calls(5)) pacer.submit(call, undefined, start);
    await nextTurn(); // 2, 3 start; 4 still waits
    expect(started).toEqual([0, 1, 2, 3]);
    pacer.submit({ id: 99, cancelled: false }, undefined, start);
    await waitForBacklog(pacer, 0);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
  });

  it('drops a call cancelled while it waited, without spending the turn on it', async () => {
    const pacer = new CallPacer(2);
    const started: number[] = [];
    const start = (call: FakeCall): void => void started.push(call.id);
    const all = calls(6);
    for (const call of all) pacer.submit(call, undefined, start);
    all[2]!.cancelled = true;
    all[4]!.cancelled = true;
    await nextTurn();
    expect(started).toEqual([0, 1, 3, 5]);
    expect(pacer.backlog).toBe(0);
  });

  it('keeps going when a start throws', async () => {
    const pacer = new CallPacer(1);
    const started: number[] = [];
    const start = (call: FakeCall): void => {
      if (call.id === 1) throw new Error('boom');
      started.push(call.id);
    };
    for (const call of calls(3)) pacer.submit(call, undefined, start);
    await waitForBacklog(pacer, 0);
    expect(started).toEqual([0, 2]);
  });

  it('keeps arrival order through a backlog that never drains for hundreds of turns', async () => {
    const pacer = new CallPacer(4);
    const started: number[] = [];
    const start = (call: FakeCall): void => void started.push(call.id);
    let next = 0;
    // 5 arrive per turn, 4 start: the backlog grows by one a turn and the spent entries pass the
    // compaction threshold several times before the arrivals stop.
    for (let turn = 0; turn < 800; turn++) {
      for (const call of calls(5, next)) pacer.submit(call, undefined, start);
      next += 5;
      await nextTurn();
    }
    expect(pacer.backlog).toBeGreaterThan(700);
    await waitForBacklog(pacer, 0, 1000);
    expect(started).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('starts every call at once when perTurn is 0', () => {
    const pacer = new CallPacer(0);
    const started: number[] = [];
    for (const call of calls(500)) pacer.submit(call, undefined, (c: FakeCall) => void started.push(c.id));
    expect(started).toHaveLength(500);
    expect(pacer.backlog).toBe(0);
  });

  it('gives a later burst a fresh budget once the loop went round', async () => {
    const pacer = new CallPacer(3);
    const started: number[] = [];
    const start = (call: FakeCall): void => void started.push(call.id);
    for (const call of calls(2)) pacer.submit(call, undefined, start);
    await nextTurn();
    for (const call of calls(5, 10)) pacer.submit(call, undefined, start);
    expect(started).toEqual([0, 1, 10, 11, 12]);
    await waitForBacklog(pacer, 0);
    expect(started).toEqual([0, 1, 10, 11, 12, 13, 14]);
  });
});

/** Lets the loop go round until the pacer's backlog is `n` (bounded: a stuck pacer fails the test). */
async function waitForBacklog(pacer: CallPacer, n: number, maxTurns = 100): Promise<void> {
  for (let i = 0; i < maxTurns && pacer.backlog !== n; i++) await nextTurn();
  expect(pacer.backlog).toBe(n);
}
