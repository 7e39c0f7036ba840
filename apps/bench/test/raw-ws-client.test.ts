import * as net from 'node:net';
import { once } from 'node:events';
import { WebSocketServer, type RawData } from 'ws';
import {
  decodeMessage, encodeHandshakeResponse, encodeMessagePacket, encodePacket, MessageType, PacketDecoder, PacketType,
} from '@pitaya-ts/protocol';
import { BareServer } from '../src/servers/bare-server';
import { PITAYA_ROUTES } from '../src/servers/bench-routes';
import { runEchoClosed } from '../src/generator/echo-closed';
import { NO_HOOKS } from '../src/generator/jobs';
import { BenchConnection } from '../src/wire/bench-connection';
import type { Endpoint, Transport, WsClientKind } from '../src/wire/endpoint';
import { echoPayload } from '../src/wire/payloads';
import { FIRST_REQUEST_ID, RequestTemplate, WireRequest } from '../src/wire/request-template';
import { CLIENT_MASK, EXPECTED_ACCEPT, ServerFrameReader } from '../src/wire/ws-frames';
import { waitFor } from '../src/generator/timing';

// The generator's raw WebSocket client (pre-masked frames on a `net` socket) and its frame scanner:
// what it writes must be valid client frames for a real `ws` server, and what it reads may arrive
// fragmented, coalesced and split anywhere by TCP.

/** A server frame (unmasked) with the given FIN bit and opcode. */
function serverFrame(payload: Uint8Array, opcode: number, fin = true): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0, n]) : n < 0x10000 ? Buffer.from([0, 126, n >>> 8, n & 0xff]) : Buffer.from([0, 127, 0, 0, 0, 0, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

/** Decodes one masked client frame; fails the test if it is not one. */
function parseClientFrame(bytes: Buffer): { opcode: number; fin: boolean; payload: Buffer } {
  expect(bytes[1]! & 0x80).toBe(0x80); // clients must mask (RFC 6455 §5.3)
  let length = bytes[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    length = bytes.readUInt16BE(2);
    at = 4;
  }
  const mask = bytes.subarray(at, at + 4);
  const payload = Buffer.alloc(length);
  for (let i = 0; i < length; i++) payload[i] = bytes[at + 4 + i]! ^ mask[i & 3]!;
  expect(bytes.length).toBe(at + 4 + length);
  return { opcode: bytes[0]! & 0x0f, fin: (bytes[0]! & 0x80) !== 0, payload };
}

describe('WireRequest', () => {
  it('pre-masked frames carry exactly the packet RequestTemplate builds, whatever id is patched in', () => {
    for (const size of [64, 1024]) {
      const template = new RequestTemplate(PITAYA_ROUTES.echo, echoPayload(size));
      const wire = new WireRequest(template, true);
      const reused = wire.build(FIRST_REQUEST_ID);
      for (const id of [FIRST_REQUEST_ID, FIRST_REQUEST_ID + 1, 0x0abcdef1, 0x0fffffff]) {
        wire.patch(reused, id);
        for (const bytes of [reused, wire.build(id)]) {
          const frame = parseClientFrame(bytes);
          expect(frame).toMatchObject({ opcode: 0x2, fin: true });
          expect(Buffer.compare(frame.payload, Buffer.from(template.build(id)))).toBe(0);
        }
      }
      // Unframed (TCP): the packet itself.
      expect(Buffer.compare(new WireRequest(template, false).build(0x0abcdef1), Buffer.from(template.build(0x0abcdef1)))).toBe(0);
    }
    expect(CLIENT_MASK.some((b) => b !== 0)).toBe(true);
  });
});

describe('ServerFrameReader', () => {
  const messages = [Buffer.from('a'.repeat(10)), Buffer.from('b'.repeat(300)), Buffer.from('c'.repeat(70_000)), Buffer.from('d')];
  // Coalesced: every frame in one stream; the second message fragmented in 3 with a ping between fragments.
  const stream = Buffer.concat([
    serverFrame(messages[0]!, 0x2),
    serverFrame(messages[1]!.subarray(0, 100), 0x2, false),
    serverFrame(Buffer.from('p'), 0x9),
    serverFrame(messages[1]!.subarray(100, 200), 0x0, false),
    serverFrame(messages[1]!.subarray(200), 0x0, true),
    serverFrame(messages[2]!, 0x2),
    serverFrame(messages[3]!, 0x1),
    serverFrame(Buffer.alloc(0), 0xa),
  ]);

  /** Not `toEqual`: jest's deep equality walks a Buffer byte by byte, far too slow for 650 × 70 KB. */
  const same = (a: readonly Buffer[], b: readonly Buffer[]): boolean => a.length === b.length && a.every((x, i) => x.equals(b[i]!));

  function feed(chunks: readonly Buffer[]): { got: Buffer[]; pings: number } {
    const got: Buffer[] = [];
    let pings = 0;
    const reader = new ServerFrameReader({ onMessage: (p) => got.push(Buffer.from(p)), onPing: () => pings++, onClose: () => undefined });
    for (const c of chunks) reader.push(c);
    expect(reader.bufferedBytes).toBe(0);
    return { got, pings };
  }

  it('joins fragments and reads coalesced frames split at any byte', () => {
    const splits = [...Array.from({ length: 600 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => stream.length - 1 - i)];
    for (const cut of splits) {
      const { got, pings } = feed([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(same(got, messages)).toBe(true);
      expect(pings).toBe(1);
    }
    const bytewise = feed(Array.from({ length: 400 }, (_, i) => stream.subarray(i, i + 1)).concat([stream.subarray(400)]));
    expect(same(bytewise.got, messages)).toBe(true);
  });

  it('rejects masked server frames, reserved opcodes and oversized frames', () => {
    const reader = (): ServerFrameReader => new ServerFrameReader({ onMessage: () => undefined, onPing: () => undefined, onClose: () => undefined });
    const masked = serverFrame(Buffer.from('x'), 0x2);
    masked[1] = masked[1]! | 0x80;
    expect(() => reader().push(masked)).toThrow('masked');
    expect(() => reader().push(serverFrame(Buffer.from('x'), 0x3))).toThrow('opcode');
    expect(() => reader().push(Buffer.from([0x82, 127, 0, 0, 0, 0, 0x10, 0, 0, 0]))).toThrow('too large');
    expect(() => reader().push(serverFrame(Buffer.from('x'), 0x0))).toThrow('continuation');
  });
});

/**
 * A hand-written WebSocket + Pitaya server that replies in the worst shapes a stream can take:
 * every response message split into 3 fragments, several messages coalesced into one write, and
 * every write cut into 1–7-byte TCP segments. It checks the client's frames as it reads them.
 */
async function hostileWsServer(): Promise<{ port: number; requests: () => number; badFrames: () => number; close: () => Promise<void> }> {
  let requests = 0;
  let badFrames = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let upgraded = false;
    let buffered = Buffer.alloc(0);
    let outgoing: Buffer[] = [];
    const flush = (): void => {
      const all = Buffer.concat(outgoing);
      outgoing = [];
      for (let at = 0, step = 1; at < all.length; at += step, step = (step % 7) + 1) socket.write(all.subarray(at, at + step));
    };
    const sendMessage = (packet: Uint8Array): void => {
      const third = Math.max(1, Math.floor(packet.length / 3));
      outgoing.push(serverFrame(packet.subarray(0, third), 0x2, false), serverFrame(packet.subarray(third, 2 * third), 0x0, false), serverFrame(packet.subarray(2 * third), 0x0, true));
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${EXPECTED_ACCEPT}\r\n\r\n`);
        buffered = buffered.subarray(end + 4);
      }
      for (;;) {
        if (buffered.length < 2) break;
        let length = buffered[1]! & 0x7f;
        let header = 2;
        if (length === 126) {
          if (buffered.length < 4) break;
          length = buffered.readUInt16BE(2);
          header = 4;
        }
        if (buffered.length < header + 4 + length) break;
        const frame = parseClientFrame(buffered.subarray(0, header + 4 + length));
        buffered = buffered.subarray(header + 4 + length);
        if (frame.opcode !== 0x2 || !frame.fin) badFrames++;
        new PacketDecoder().push(frame.payload, (type, body) => {
          if (type === PacketType.Handshake) sendMessage(encodePacket(PacketType.Handshake, encodeHandshakeResponse({ code: 200, sys: { heartbeat: 60, dict: {}, serializer: 'json' } })));
          if (type !== PacketType.Data) return;
          const m = decodeMessage(body);
          requests++;
          sendMessage(encodeMessagePacket({ type: MessageType.Response, id: m.id, data: m.data }));
        });
      }
      if (outgoing.length > 0) flush();
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    requests: () => requests,
    badFrames: () => badFrames,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function job(endpoint: Endpoint, clients: number) {
  return {
    endpoint, routes: PITAYA_ROUTES, warmupMs: 100, measureMs: 400, drainMs: 2000, connectTimeoutMs: 5000, connectConcurrency: 10,
    kind: 'echo-closed' as const, clients, payloadBytes: 64,
  };
}

describe('raw WebSocket client against real servers', () => {
  it.each([['ws', 'raw'], ['ws', 'ws-library'], ['tcp', 'raw']] as [Transport, WsClientKind][])(
    'closed loop over %s (%s client) against a real ws / Pitaya-packet TCP server: every request seen is answered',
    async (transport, wsClient) => {
      const bare = new BareServer({ host: '127.0.0.1', wsPort: 0, tcpPort: 0, routes: PITAYA_ROUTES });
      const ports = await bare.start();
      try {
        const result = await runEchoClosed(job({ transport, host: '127.0.0.1', port: ports[transport], wsClient }, 6), NO_HOOKS);
        expect(result).toMatchObject({ connected: 6, connectFailures: 0, disconnects: 0, lost: 0, errors: 0 });
        expect(result.completed).toBeGreaterThan(0);
        expect(bare.stats.requests).toBe(result.answeredTotal);
      } finally {
        await bare.close();
      }
    },
  );

  it('reads fragmented, coalesced and byte-split replies; the frames it writes pass a strict reader', async () => {
    const server = await hostileWsServer();
    try {
      const result = await runEchoClosed(job({ transport: 'ws', host: '127.0.0.1', port: server.port }, 4), NO_HOOKS);
      expect(result).toMatchObject({ connected: 4, connectFailures: 0, disconnects: 0, lost: 0, errors: 0 });
      expect(result.completed).toBeGreaterThan(0);
      expect(server.requests()).toBe(result.answeredTotal);
      expect(server.badFrames()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('a `ws` server sees every request as one binary message holding one valid request packet', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const seen: { binary: boolean; id: number; route: string; size: number }[] = [];
    wss.on('connection', (socket) => {
      socket.on('message', (data: RawData, binary: boolean) => {
        new PacketDecoder().push(data as Buffer, (type, body) => {
          if (type === PacketType.Handshake) socket.send(encodePacket(PacketType.Handshake, encodeHandshakeResponse({ code: 200, sys: { heartbeat: 60, dict: {}, serializer: 'json' } })));
          if (type !== PacketType.Data) return;
          const m = decodeMessage(body);
          seen.push({ binary, id: m.id, route: m.route, size: m.data.length });
        });
      });
    });
    const port = (wss.address() as net.AddressInfo).port;
    const connection = await BenchConnection.open({ transport: 'ws', host: '127.0.0.1', port }, 5000);
    try {
      const template = new RequestTemplate(PITAYA_ROUTES.echo, echoPayload(1024));
      const wire = connection.wireRequest(template);
      const buffer = wire.build(FIRST_REQUEST_ID);
      connection.sendWire(buffer);
      wire.patch(buffer, FIRST_REQUEST_ID + 7);
      await waitFor(() => seen.length === 1, 5000);
      connection.sendWire(buffer);
      connection.send(encodeMessagePacket({ type: MessageType.Request, id: 42, route: PITAYA_ROUTES.join, data: Buffer.from('{}') }));
      expect(await waitFor(() => seen.length === 3, 5000)).toBe(true);
      expect(seen).toEqual([
        { binary: true, id: FIRST_REQUEST_ID, route: PITAYA_ROUTES.echo, size: 1024 },
        { binary: true, id: FIRST_REQUEST_ID + 7, route: PITAYA_ROUTES.echo, size: 1024 },
        { binary: true, id: 42, route: PITAYA_ROUTES.join, size: 2 },
      ]);
    } finally {
      connection.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
