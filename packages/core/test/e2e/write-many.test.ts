/**
 * A run of packets to many members (a frontend delivering one room's cluster pushes of a turn):
 * `FrontendSession.sendPackets` hands each member the whole run in one socket write, framed once
 * for all of them, and every packet still arrives as its own packet (one WebSocket message each).
 */
import * as net from 'node:net';
import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType, PacketType, utf8Encode, decodeMessage } from '@pitaya-ts/protocol';
import { Module, Pitaya, SessionPool, createLogger, rateLimiting, tcp, withWrappers, type PitayaApplication } from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { writeEach } from '../../src/acceptors/write-many';
import { FakeAcceptor } from '../support/fake-acceptor';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

@Module({})
class EmptyModule {}

const push = (k: number): Uint8Array => encodeMessagePacket({ type: MessageType.Push, route: 'onRun', data: utf8Encode(JSON.stringify({ k })) });

/** Every session of the app, once `count` have completed the handshake. */
async function sessions(app: PitayaApplication, count: number) {
  const pool = app.get(SessionPool);
  await waitFor(() => [...pool.sessions()].filter((s) => s.handshake !== undefined).length === count, { timeoutMs: 5000, message: 'clients handshaken' });
  return [...pool.sessions()];
}

describe.each(['tcp', 'ws'] as const)('a run of packets to many members over %s', (transport) => {
  let app: PitayaApplication;
  let port: number;
  beforeAll(async () => {
    const started = await startApp(EmptyModule);
    app = started.app;
    port = transport === 'tcp' ? started.tcpPort : started.wsPort;
  });
  afterAll(() => app.close());

  it('reaches each member in one write of the same bytes, each packet on its own, in order', async () => {
    const clients = [await RawClient.connect(transport, port), await RawClient.connect(transport, port), await RawClient.connect(transport, port)];
    for (const client of clients) await client.handshake();
    const members = await sessions(app, clients.length);
    const write = jest.spyOn(net.Socket.prototype, 'write');
    try {
      const run = [push(1), push(2), push(3)];
      for (const session of members) expect(session.sendPackets(run)).toBe(true);
      for (const client of clients) {
        const got: unknown[] = [];
        for (let i = 0; i < run.length; i++) got.push(json(await client.nextMessage((m) => m.type === MessageType.Push)));
        expect(got).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
      }
      // One write per member, and the same buffer each time: the run was framed once.
      const runWrites = write.mock.calls.map(([bytes]) => bytes).filter((bytes) => (bytes as Uint8Array).length >= run.reduce((n, p) => n + p.length, 0));
      expect(runWrites).toHaveLength(members.length);
      expect(new Set(runWrites).size).toBe(1);
      // A different run is framed anew (the cache holds the last run only, by identity).
      write.mockClear();
      const next = [push(4), push(5)];
      for (const session of members) expect(session.sendPackets(next)).toBe(true);
      for (const client of clients) {
        expect(json(await client.nextMessage((m) => m.type === MessageType.Push))).toEqual({ k: 4 });
        expect(json(await client.nextMessage((m) => m.type === MessageType.Push))).toEqual({ k: 5 });
      }
      const nextWrites = new Set(write.mock.calls.map(([bytes]) => bytes));
      expect(nextWrites.size).toBe(1);
      expect(nextWrites.has(runWrites[0])).toBe(false);
    } finally {
      write.mockRestore();
      for (const client of clients) client.close();
    }
  });
});

describe('sendPackets on connections without writeMany, through wrappers, and on a slow client', () => {
  it('writeEach falls back to one write per packet, in order', () => {
    const written: number[] = [];
    const connection = { write: (p: Uint8Array) => void written.push(p[0]!) } as unknown as Parameters<typeof writeEach>[0];
    writeEach(connection, [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    expect(written).toEqual([1, 2, 3]);
  });

  it('an acceptor without writeMany gets each packet; a client over its pending bytes is disconnected and sent nothing', async () => {
    const acceptor = new FakeAcceptor();
    const app = await Pitaya.create(EmptyModule, {
      serverType: 'connector', acceptors: [acceptor], logger: createLogger({ level: 'silent' }), env: {},
      config: { buffer: { agent: { maxPendingBytes: 2048 } } },
    });
    await app.start();
    try {
      const connection = acceptor.connect();
      connection.deliver(encodePacket(PacketType.Handshake, utf8Encode('{}')));
      connection.deliver(HANDSHAKE_ACK_PACKET);
      const [session] = await sessions(app, 1);
      const before = connection.written.length;
      expect(session!.sendPackets([push(1), push(2)])).toBe(true);
      expect(connection.writtenOfType(PacketType.Data).slice(-2).map((p) => json(decodeMessage(p.subarray(4))))).toEqual([{ k: 1 }, { k: 2 }]);
      expect(connection.written.length).toBe(before + 2);
      connection.pendingBytes = 4096;
      expect(session!.sendPackets([push(3)])).toBe(false);
      expect(connection.closed).toBe(true);
      expect(connection.written.length).toBe(before + 2);
    } finally {
      await app.close();
    }
  });

  it('the rate-limiting wrapper passes a run through to the transport in one write', async () => {
    const app = await Pitaya.create(EmptyModule, {
      serverType: 'connector',
      acceptors: [withWrappers(tcp({ port: 0, host: '127.0.0.1' }), rateLimiting({ limit: 3, intervalMs: 60_000 }))],
      logger: createLogger({ level: 'silent' }), env: {},
    });
    await app.start();
    const client = await RawClient.tcp(app.listening[0]!.port);
    try {
      await client.handshake();
      const [session] = await sessions(app, 1);
      const run = [push(1), push(2)];
      const write = jest.spyOn(net.Socket.prototype, 'write');
      try {
        expect(session!.sendPackets(run)).toBe(true);
        expect(write.mock.calls.filter(([bytes]) => (bytes as Uint8Array).length === run[0]!.length + run[1]!.length)).toHaveLength(1);
      } finally {
        write.mockRestore();
      }
      expect(json(await client.nextMessage((m) => m.type === MessageType.Push))).toEqual({ k: 1 });
      expect(json(await client.nextMessage((m) => m.type === MessageType.Push))).toEqual({ k: 2 });
    } finally {
      client.close();
      await app.close();
    }
  });
});
