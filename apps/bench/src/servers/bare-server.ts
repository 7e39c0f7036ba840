import * as http from 'node:http';
import * as net from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { PacketDecoder, PacketType, utf8Encode, type PacketType as PacketTypeValue } from '@pitaya-ts/protocol';
import { PUSH_ROUTE, type BenchRoutes } from '../wire/endpoint';

/** Options of {@link BareServer}. */
export interface BareServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly wsPort: number;
  /** 0 picks a free port. */
  readonly tcpPort: number;
  readonly routes: BenchRoutes;
  /** Answer every request this many ms late (tests use it to check the generator's percentiles). */
  readonly delayMs?: number;
  /**
   * Answer echo requests with what this returns for their body instead of the body itself: the bare
   * forwarding baseline of scenario D sends it to a raw gRPC backend.
   */
  readonly forward?: (body: Uint8Array) => Promise<Uint8Array>;
}

/** What the server saw, to check the generator's own counts against. */
export interface BareServerStats {
  connections: number;
  handshakes: number;
  requests: number;
  notifies: number;
  pushes: number;
}

interface Peer {
  write(packet: Uint8Array): void;
  working: boolean;
  room: Set<Peer> | undefined;
}

/** `{"code":200,"sys":{"dict":{},"heartbeat":60,"serializer":"json"}}`, framed once. */
const HANDSHAKE_RESPONSE = frame(PacketType.Handshake, utf8Encode('{"code":200,"sys":{"dict":{},"heartbeat":60,"serializer":"json"}}'));
const JOIN_REPLY = utf8Encode('{"ok":true}');
const PUSH_ROUTE_BYTES = utf8Encode(PUSH_ROUTE);

function frame(type: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out[0] = type;
  out[1] = body.length >>> 16;
  out[2] = (body.length >>> 8) & 0xff;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  return out;
}

function varintBytes(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) bytes++;
  return bytes;
}

/** Writes a response packet's header, flag 0x04 and id varint into `out`; returns where the data goes. */
function writeResponseHead(out: Buffer, id: number, dataLength: number): number {
  const length = 1 + varintBytes(id) + dataLength;
  out[0] = PacketType.Data;
  out[1] = length >>> 16;
  out[2] = (length >>> 8) & 0xff;
  out[3] = length & 0xff;
  out[4] = 0x04;
  let at = 5;
  let v = id;
  while (v >= 0x80) {
    out[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[at++] = v;
  return at;
}

/** Response packet: header, flag 0x04, id varint, data, in one allocation. */
function responsePacket(id: number, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + varintBytes(id) + data.length);
  out.set(data, writeResponseHead(out, id, data.length));
  return out;
}

/**
 * Echo of a JSON body the way the cheapest server would do its JSON work: parse the text, serialize
 * the value, and write the text straight into the response packet (one allocation).
 */
function jsonEchoPacket(id: number, body: Buffer, start: number): Buffer {
  const text = JSON.stringify(JSON.parse(body.toString('utf8', start)));
  const textBytes = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(5 + varintBytes(id) + textBytes);
  out.write(text, writeResponseHead(out, id, textBytes), 'utf8');
  return out;
}

/** Push packet: header, flag 0x06, route, data. */
function pushPacket(data: Uint8Array): Buffer {
  const length = 2 + PUSH_ROUTE_BYTES.length + data.length;
  const out = Buffer.allocUnsafe(4 + length);
  out[0] = PacketType.Data;
  out[1] = length >>> 16;
  out[2] = (length >>> 8) & 0xff;
  out[3] = length & 0xff;
  out[4] = 0x06;
  out[5] = PUSH_ROUTE_BYTES.length;
  out.set(PUSH_ROUTE_BYTES, 6);
  out.set(data, 6 + PUSH_ROUTE_BYTES.length);
  return out;
}

function sameBytes(src: Uint8Array, start: number, length: number, expected: Uint8Array): boolean {
  if (length !== expected.length) return false;
  for (let i = 0; i < length; i++) if (src[start + i] !== expected[i]) return false;
  return true;
}

/**
 * The machine's ceiling: a server written directly on `ws` and `net` that frames and answers the
 * same packets as the frameworks (handshake, ack, heartbeat, echo request → response, join, and
 * broadcast as one push packet written to every member) with nothing else: no sessions, no
 * routing table, no serializer object. Echo does the JSON work a game server does (parse the body,
 * serialize the reply: issue 14 defines the baseline as "the same framing and JSON work"), written
 * the cheapest way; forwarding (scenario D) passes the bytes through as the framework does.
 */
export class BareServer {
  readonly stats: BareServerStats = { connections: 0, handshakes: 0, requests: 0, notifies: 0, pushes: 0 };
  private readonly echo: Uint8Array;
  private readonly join: Uint8Array;
  private readonly send: Uint8Array;
  private readonly rooms = new Map<string, Set<Peer>>();
  private readonly sockets = new Set<{ destroy(): void }>();
  private http: http.Server | undefined;
  private wss: WebSocketServer | undefined;
  private tcp: net.Server | undefined;

  constructor(private readonly options: BareServerOptions) {
    this.echo = utf8Encode(options.routes.echo);
    this.join = utf8Encode(options.routes.join);
    this.send = utf8Encode(options.routes.send);
  }

  /** Listens on both ports; resolves with the actual ports. */
  async start(): Promise<{ ws: number; tcp: number }> {
    const server = http.createServer((_req, res) => res.writeHead(426).end());
    const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false, maxPayload: 1 << 20 });
    wss.on('connection', (socket: WebSocket) => this.acceptWs(socket));
    const tcp = net.createServer({ noDelay: true }, (socket) => this.acceptTcp(socket));
    this.http = server;
    this.wss = wss;
    this.tcp = tcp;
    const ws = await listen(server, this.options.wsPort, this.options.host);
    const tcpPort = await listen(tcp, this.options.tcpPort, this.options.host);
    return { ws, tcp: tcpPort };
  }

  /** Drops every connection and stops listening. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.wss?.close();
    await Promise.all([closeServer(this.http), closeServer(this.tcp)]);
  }

  private acceptWs(socket: WebSocket): void {
    this.stats.connections++;
    const peer: Peer = { write: (p) => socket.send(p, { binary: true }), working: false, room: undefined };
    const handle = { destroy: () => socket.terminate() };
    this.sockets.add(handle);
    socket.on('message', (data: RawData) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      // One packet per message; the header length must match the frame exactly.
      if (buf.length < 4 || buf.length - 4 !== ((buf[1]! << 16) | (buf[2]! << 8) | buf[3]!)) return socket.terminate();
      this.onPacket(peer, buf[0] as PacketTypeValue, buf.subarray(4));
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      this.sockets.delete(handle);
      this.leave(peer);
    });
  }

  private acceptTcp(socket: net.Socket): void {
    this.stats.connections++;
    const peer: Peer = { write: (p) => void socket.write(p), working: false, room: undefined };
    this.sockets.add(socket);
    const decoder = new PacketDecoder();
    const onPacket = (type: PacketTypeValue, body: Uint8Array): void => this.onPacket(peer, type, body);
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, onPacket);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.leave(peer);
    });
  }

  private leave(peer: Peer): void {
    peer.room?.delete(peer);
    peer.room = undefined;
  }

  private onPacket(peer: Peer, type: PacketTypeValue, body: Uint8Array): void {
    if (type === PacketType.Data) {
      if (peer.working) this.onMessage(peer, body);
    } else if (type === PacketType.Handshake) {
      this.stats.handshakes++;
      peer.write(HANDSHAKE_RESPONSE);
    } else if (type === PacketType.HandshakeAck) {
      peer.working = true;
    }
  }

  private onMessage(peer: Peer, body: Uint8Array): void {
    const msgType = (body[0]! >> 1) & 0x07;
    let at = 1;
    let id = 0;
    if (msgType === 0) {
      let scale = 1;
      for (;;) {
        const b = body[at++];
        if (b === undefined) return;
        id += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 0x80;
      }
    } else if (msgType !== 1) {
      return;
    }
    const routeLength = body[at]!;
    const routeStart = at + 1;
    const data = body.subarray(routeStart + routeLength);
    if (msgType === 0) {
      this.stats.requests++;
      if (sameBytes(body, routeStart, routeLength, this.join)) return this.reply(peer, responsePacket(id, this.onJoin(peer, data)));
      const forward = this.options.forward;
      if (!forward) {
        let packet: Buffer;
        try {
          packet = jsonEchoPacket(id, Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength), routeStart + routeLength);
        } catch {
          return; // not JSON: a bare server has no error path; the generator only sends JSON
        }
        return this.reply(peer, packet);
      }
      forward(data).then((reply) => this.reply(peer, responsePacket(id, reply)), () => undefined);
    } else {
      this.stats.notifies++;
      if (sameBytes(body, routeStart, routeLength, this.send) && peer.room) {
        const packet = pushPacket(data);
        for (const member of peer.room) member.write(packet);
        this.stats.pushes += peer.room.size;
      }
    }
  }

  private onJoin(peer: Peer, data: Uint8Array): Uint8Array {
    const { room } = JSON.parse(Buffer.from(data).toString('utf8')) as { room: string };
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    this.leave(peer);
    members.add(peer);
    peer.room = members;
    return JOIN_REPLY;
  }

  private reply(peer: Peer, packet: Buffer): void {
    const delay = this.options.delayMs ?? 0;
    if (delay > 0) setTimeout(() => peer.write(packet), delay);
    else peer.write(packet);
  }
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
