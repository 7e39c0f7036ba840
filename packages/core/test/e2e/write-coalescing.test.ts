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

describe('CoalescingWriter', () => {
  it('writes the first frame of an input event at once and corks the rest until the loop\'s check phase', async () => {
    const calls: string[] = [];
    const socket = {
      write: (bytes: Uint8Array) => void calls.push(`write ${bytes[0]}`),
      cork: () => void calls.push('cork'),
      uncork: () => void calls.push('uncork'),
    } as unknown as net.Socket;
    const writer = new CoalescingWriter(socket);
    nextInputEvent();
    writer.write(Uint8Array.of(1));
    expect(calls).toEqual(['write 1']);
    writer.write(Uint8Array.of(2));
    writer.write(Uint8Array.of(3));
    expect(calls).toEqual(['write 1', 'cork', 'write 2', 'write 3']);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(calls).not.toContain('uncork'); // other input events of this turn may add to the burst
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['write 1', 'cork', 'write 2', 'write 3', 'uncork']);
    // A new input event: straight out again.
    nextInputEvent();
    writer.write(Uint8Array.of(4));
    expect(calls.at(-1)).toBe('write 4');
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
