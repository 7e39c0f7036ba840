/**
 * Write coalescing in the acceptors: the first frame an input event writes to a socket goes straight
 * out, later ones leave together in one writev at the event loop's check phase, in order, with nothing lost.
 */
import * as net from 'node:net';
import { MessageType } from '@pitaya-ts/protocol';
import { Context, Handler, Module, Route, type PitayaApplication } from '@pitaya-ts/core';
import { CoalescingWriter, nextInputEvent } from '../../src/acceptors/write-coalescing';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const BURST = 100;

@Handler('burst')
class BurstHandler {
  /** A burst of pushes to the caller in one input event, then the reply: what a busy room does to each member. */
  @Route()
  pushes(ctx: Context): unknown {
    for (let i = 0; i < BURST; i++) void ctx.session.push('onBurst', { i });
    return { sent: BURST };
  }
}
@Module({ handlers: [BurstHandler] })
class AppModule {}

function fakeSocket(calls: string[], name = ''): net.Socket {
  return {
    write: (bytes: Uint8Array) => void calls.push(`${name}write ${bytes[0]}`),
    cork: () => void calls.push(`${name}cork`),
    uncork: () => void calls.push(`${name}uncork`),
  } as unknown as net.Socket;
}

const checkPhase = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

describe('CoalescingWriter', () => {
  it('writes the first frame of an input event to its own connection at once and corks the rest until the loop\'s check phase', async () => {
    const calls: string[] = [];
    const writer = new CoalescingWriter(fakeSocket(calls));
    nextInputEvent(writer);
    writer.write(Uint8Array.of(1));
    expect(calls).toEqual(['write 1']);
    writer.write(Uint8Array.of(2));
    writer.write(Uint8Array.of(3));
    expect(calls).toEqual(['write 1', 'cork', 'write 2', 'write 3']);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(calls).not.toContain('uncork'); // other input events of this turn may add to the burst
    await checkPhase();
    expect(calls).toEqual(['write 1', 'cork', 'write 2', 'write 3', 'uncork']);
    // A new input event: straight out again.
    nextInputEvent(writer);
    writer.write(Uint8Array.of(4));
    expect(calls.at(-1)).toBe('write 4');
  });

  it('coalesces pushes to other connections per turn, across input events, and corks a bursty connection from its first push', async () => {
    const calls: string[] = [];
    const senderA = new CoalescingWriter(fakeSocket([]));
    const senderB = new CoalescingWriter(fakeSocket([]));
    const member = new CoalescingWriter(fakeSocket(calls));
    // Two senders' messages read in one turn, each broadcast to the member.
    nextInputEvent(senderA);
    member.write(Uint8Array.of(1));
    nextInputEvent(senderB);
    member.write(Uint8Array.of(2));
    expect(calls).toEqual(['write 1', 'cork', 'write 2']);
    await checkPhase();
    expect(calls.at(-1)).toBe('uncork');
    // That turn was a burst: the next one corks from the first push (one writev, not a write then a writev).
    calls.length = 0;
    nextInputEvent(senderA);
    member.write(Uint8Array.of(3));
    member.write(Uint8Array.of(4));
    expect(calls).toEqual(['cork', 'write 3', 'write 4']);
    await checkPhase();
    expect(calls.at(-1)).toBe('uncork');
    // A turn with a single push ends the bursty mode: the turn after writes its first push directly.
    calls.length = 0;
    member.write(Uint8Array.of(5));
    await checkPhase();
    expect(calls).toEqual(['cork', 'write 5', 'uncork']);
    calls.length = 0;
    member.write(Uint8Array.of(6));
    expect(calls).toEqual(['write 6']);
    await checkPhase();
  });
});

describe.each(['tcp', 'ws'] as const)('write coalescing over %s', (transport) => {
  let app: PitayaApplication;
  let port: number;
  beforeAll(async () => {
    const started = await startApp(AppModule);
    app = started.app;
    port = transport === 'tcp' ? started.tcpPort : started.wsPort;
  });
  afterAll(() => app.close());

  it('delivers a burst of pushes and the reply in order, the burst in one writev', async () => {
    const client = await RawClient.connect(transport, port);
    await client.handshake();
    const writev = jest.spyOn(net.Socket.prototype as unknown as { _writev: (...args: unknown[]) => void }, '_writev');
    try {
      const reply = client.request('connector.burst.pushes');
      const seen: number[] = [];
      for (let i = 0; i < BURST; i++) {
        const push = await client.nextMessage((m) => m.type === MessageType.Push);
        seen.push((json(push) as { i: number }).i);
      }
      expect(seen).toEqual(Array.from({ length: BURST }, (_, i) => i));
      expect(json(await reply)).toEqual({ sent: BURST });
      // The server's socket wrote pushes 2..100 (and the reply) as one vector, not 99 system calls.
      const largest = Math.max(0, ...writev.mock.calls.map(([chunks]) => (chunks as unknown[]).length));
      expect(largest).toBeGreaterThanOrEqual(BURST - 1);
    } finally {
      writev.mockRestore();
      client.close();
    }
  });
});
