import * as net from 'node:net';
import { WebSocket } from 'ws';
import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import {
  METRICS_REPORTER, Module, NoopMetricsReporter, Pitaya, createLogger, type PitayaConfigInput, type RefusalReason,
} from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { FakeAcceptor } from '../support/fake-acceptor';
import { RawClient } from '../support/raw-client';
import { BlockingHandler, blocking, releaseBlocked } from '../support/blocking-handler';
import { startApp } from '../support/app';

class CountingMetrics extends NoopMetricsReporter {
  readonly refusals: RefusalReason[] = [];
  // NoopMetricsReporter declares its methods without parameters.
  override refused(...args: unknown[]): void {
    this.refusals.push(args[0] as RefusalReason);
  }
  count(reason: RefusalReason): number {
    return this.refusals.filter((r) => r === reason).length;
  }
}

async function start(config: PitayaConfigInput) {
  const metrics = new CountingMetrics();
  @Module({ handlers: [BlockingHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
  class AppModule {}
  const { app, tcpPort, wsPort } = await startApp(AppModule, { config });
  return { app, tcpPort, wsPort, metrics };
}

const connectTcp = (port: number): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
const closed = (socket: net.Socket): Promise<void> => new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('handshake timeout', () => {
  it.each(['tcp', 'ws'] as const)('closes %s connections that never complete the handshake, and counts them', async (transport) => {
    const { app, tcpPort, wsPort, metrics } = await start({ conn: { handshakeTimeout: 300 } });
    try {
      const silent = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      const noAck = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      noAck.send(encodePacket(PacketType.Handshake, utf8Encode('{"sys":{}}')));
      const good = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      await good.handshake();
      await silent.waitClosed(5000);
      await noAck.waitClosed(5000);
      expect(metrics.count('handshake-timeout')).toBe(2);
      // A client that completed its handshake is not affected.
      const reply = await good.request('connector.svc.echo', { a: 1 });
      expect(JSON.parse(Buffer.from(reply.data).toString())).toEqual({ a: 1 });
      expect(good.closed).toBe(false);
      good.close();
    } finally {
      await app.close();
    }
  });

  it('is on by default (a few seconds)', async () => {
    @Module({})
    class Empty {}
    const app = await Pitaya.create(Empty, { serverType: 'x', acceptors: [], logger: createLogger({ level: 'silent' }), env: {} });
    expect(app.config.conn.handshakeTimeout).toBe(5000);
  });
});

describe('connection caps', () => {
  it('refuses connections beyond conn.maxConnections, counted, and admits again once one closes', async () => {
    const { app, tcpPort, wsPort, metrics } = await start({ conn: { maxConnections: 3 } });
    try {
      const sockets = [await connectTcp(tcpPort), await connectTcp(tcpPort), await connectTcp(tcpPort)];
      await waitFor(() => app.sessions.count === 3);
      const refusedTcp = await connectTcp(tcpPort);
      await closed(refusedTcp);
      const refusedWs = new WebSocket(`ws://127.0.0.1:${wsPort}/`);
      await new Promise((resolve) => refusedWs.on('close', resolve).on('error', () => undefined));
      expect(metrics.count('connection-limit')).toBe(2);
      expect(app.sessions.count).toBe(3);
      sockets[0]!.destroy();
      await waitFor(() => app.sessions.count === 2);
      const client = await RawClient.tcp(tcpPort);
      await client.handshake();
      expect(app.sessions.count).toBe(3);
      client.close();
      for (const s of sockets) s.destroy();
    } finally {
      await app.close();
    }
  });

  it('refuses connections beyond conn.maxConnectionsPerIp, counted', async () => {
    const { app, tcpPort, metrics } = await start({ conn: { maxConnectionsPerIp: 2 } });
    try {
      const sockets = [await connectTcp(tcpPort), await connectTcp(tcpPort)];
      await waitFor(() => app.sessions.count === 2);
      const third = await connectTcp(tcpPort);
      await closed(third);
      expect(metrics.count('ip-limit')).toBe(1);
      expect(app.sessions.count).toBe(2);
      for (const s of sockets) s.destroy();
      await waitFor(() => app.sessions.count === 0);
      const again = await connectTcp(tcpPort);
      await waitFor(() => app.sessions.count === 1);
      again.destroy();
    } finally {
      await app.close();
    }
  });
});

describe('partial-packet memory budget', () => {
  it.each(['tcp', 'ws'] as const)('closes the %s connection whose partial packet would pass conn.partialPacketBudget', async (transport) => {
    const { app, tcpPort, wsPort, metrics } = await start({ conn: { partialPacketBudget: 200_000, handshakeTimeout: 0 } });
    try {
      const header = (length: number): Buffer => Buffer.from([PacketType.Data, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]);
      const clients: { send: (b: Buffer) => void; closed: Promise<void> }[] = [];
      for (let i = 0; i < 4; i++) {
        if (transport === 'tcp') {
          const socket = await connectTcp(tcpPort);
          clients.push({ send: (b) => socket.write(b), closed: closed(socket) });
        } else {
          // A WebSocket frame announcing 100 kB of which only part is sent: written on the raw socket.
          const socket = await connectTcp(wsPort);
          socket.write(`GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
          await new Promise((resolve) => socket.once('data', resolve));
          clients.push({ send: (b) => socket.write(wsFrameStart(b, 100_004)), closed: closed(socket) });
        }
      }
      // Three stalled senders each hold ~60 kB of a 100 kB packet: they fit in 200 kB. The fourth does not.
      const part = Buffer.concat([header(100_000), Buffer.alloc(60_000)]);
      for (const c of clients.slice(0, 3)) c.send(part);
      await waitFor(() => app.sessions.count === 4);
      clients[3]!.send(part);
      await clients[3]!.closed;
      expect(metrics.count('partial-packet-budget')).toBe(1);
      expect(app.sessions.count).toBe(3);
    } finally {
      await app.close();
    }
  });
});

/** The start of a masked binary WebSocket frame of `total` payload bytes, carrying `payload` (the rest never comes). */
function wsFrameStart(payload: Buffer, total: number): Buffer {
  const head = Buffer.alloc(14);
  head[0] = 0x82;
  head[1] = 0x80 | 127;
  head.writeBigUInt64BE(BigInt(total), 2);
  head.writeUInt32BE(0, 10); // zero mask: payload bytes go as they are
  return Buffer.concat([head, payload]);
}

describe('per-session queue bounded by bytes', () => {
  it('stops reading a session once its queued bodies reach buffer.handler.sessionQueueBytes', async () => {
    const acceptor = new FakeAcceptor();
    const metrics = new CountingMetrics();
    @Module({ handlers: [BlockingHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
    class AppModule {}
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector', acceptors: [acceptor], logger: createLogger({ level: 'silent' }), env: {},
      config: { buffer: { handler: { sessionQueue: 100, sessionQueueBytes: 10_000 } } },
    });
    await app.start();
    try {
      blocking.handled = 0;
      const connection = acceptor.connect();
      connection.deliver(encodePacket(PacketType.Handshake, utf8Encode('{}')));
      connection.deliver(HANDSHAKE_ACK_PACKET);
      connection.deliver(encodeMessagePacket({ type: MessageType.Request, id: 1, route: 'connector.svc.block', data: utf8Encode('{}') }));
      const big = utf8Encode(JSON.stringify({ pad: 'x'.repeat(4000) }));
      connection.deliver(encodeMessagePacket({ type: MessageType.Request, id: 2, route: 'connector.svc.echo', data: big }));
      connection.deliver(encodeMessagePacket({ type: MessageType.Request, id: 3, route: 'connector.svc.echo', data: big }));
      expect(connection.paused).toBe(false); // 2 messages, ~8 kB
      connection.deliver(encodeMessagePacket({ type: MessageType.Request, id: 4, route: 'connector.svc.echo', data: big }));
      expect(connection.paused).toBe(true); // 3 messages (far below the count limit), ~12 kB
      releaseBlocked();
      await waitFor(() => blocking.handled === 4);
      await waitFor(() => !connection.paused);
    } finally {
      await app.close();
    }
  });
});
