/**
 * Fuzzing a live server over real TCP and WebSocket connections: each run opens a connection, sends
 * a random mix of valid and hostile packets, and goes away. Throughout, a bystander client keeps
 * being answered; at the end no session, uid or partial packet is left behind and every bad input was
 * counted. The long version is `npm run fuzz`.
 */
import * as net from 'node:net';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import { Context, Handler, METRICS_REPORTER, Module, NoopMetricsReporter, Route, type PitayaApplication } from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

@Handler('room')
class RoomHandler {
  @Route()
  async join(ctx: Context, body: { uid?: unknown }): Promise<unknown> {
    await ctx.session.bind(String(body?.uid ?? ctx.session.id));
    return { ok: true };
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}

class CountingMetrics extends NoopMetricsReporter {
  malformed = 0;
  refusals = 0;
  override malformedInput(): void {
    this.malformed++;
  }
  override refused(): void {
    this.refusals++;
  }
}
const metrics = new CountingMetrics();
@Module({ handlers: [RoomHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
class AppModule {}

const handshake = encodePacket(PacketType.Handshake, utf8Encode('{"sys":{"platform":"fuzz","libVersion":"1"}}'));
const request = (route: string, data: Uint8Array, id: number): Uint8Array => encodeMessagePacket({ type: MessageType.Request, id, route, data });

/** One step of a hostile client. */
const step: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(handshake),
  fc.constant(HANDSHAKE_ACK_PACKET),
  fc.integer({ min: 1, max: 1000 }).map((id) => request('connector.room.join', utf8Encode(`{"uid":"u${id}"}`), id)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.jsonValue({ maxDepth: 2 })).map(([id, v]) => request('connector.room.echo', utf8Encode(JSON.stringify(v) ?? 'null'), id)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.uint8Array({ maxLength: 64 })).map(([id, d]) => request('connector.room.echo', d, id)),
  fc.tuple(fc.constantFrom('connector.room.nope', 'other.svc.x', '', 'a'.repeat(250)), fc.uint8Array({ maxLength: 16 })).map(([r, d]) => request(r, d, 7)),
  fc.constant(utf8Encode('{"\\u005f_proto__":{"x":1}}')).map((d) => request('connector.room.echo', d, 9)),
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 64 })).map(([type, body]) => Uint8Array.from([type, 0, 0, body.length, ...body])),
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  // A header announcing more than is sent: a partial packet left behind.
  fc.integer({ min: 1, max: 60_000 }).map((n) => Uint8Array.from([PacketType.Data, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 1, 2, 3])),
);

function sendTcp(port: number, steps: Uint8Array[], splits: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const all = Buffer.concat(steps);
      const size = Math.max(1, Math.ceil(all.length / splits));
      for (let i = 0; i < all.length; i += size) socket.write(all.subarray(i, i + size));
      socket.end();
    });
    socket.on('data', () => undefined);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

function sendWs(port: number, steps: Uint8Array[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    socket.on('open', () => {
      for (const s of steps) socket.send(s);
      socket.close();
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

describe('fuzz: live server', () => {
  let app: PitayaApplication;
  let tcpPort: number;
  let wsPort: number;
  let bystander: RawClient;

  beforeAll(async () => {
    ({ app, tcpPort, wsPort } = await startApp(AppModule, { config: { conn: { handshakeTimeout: 1000 } } }));
    bystander = await RawClient.tcp(tcpPort);
    await bystander.handshake();
  });
  afterAll(async () => {
    bystander.close();
    await app.close();
  });

  it('hostile TCP and WebSocket clients cost nothing to the others and leave nothing behind', async () => {
    const before = metrics.malformed + metrics.refusals;
    let hostile = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tcp', 'ws'), fc.array(step, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (transport, steps, splits) => {
        if (steps.some((s) => s[0]! > 4 || s.length < 4)) hostile++;
        await (transport === 'tcp' ? sendTcp(tcpPort, steps, splits) : sendWs(wsPort, steps));
        // The bystander is answered after every hostile connection.
        expect(json(await bystander.request('connector.room.echo', { ping: 1 }))).toEqual({ ping: 1 });
      }),
      { numRuns: 120 },
    );
    await waitFor(() => app.sessions.count === 1, { timeoutMs: 10_000, message: 'only the bystander is left' });
    await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return app.sessions.boundCount === 0;
    }, { message: 'no uid left bound' });
    expect(bystander.closed).toBe(false);
    if (hostile > 0) expect(metrics.malformed + metrics.refusals).toBeGreaterThan(before);
  }, 60_000);
});
