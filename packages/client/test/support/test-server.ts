/**
 * A tiny in-process Pitaya server for client tests, built from the protocol functions only, listening on
 * TCP and WebSocket. Tests drive it: handshake settings up front, replies and pushes by hand.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  type HandshakeRequest,
  type Message,
  type MessageInit,
  MessageType,
  PacketDecoder,
  PacketType,
  RouteDictionary,
  decodeFrame,
  decodeHandshakeRequest,
  decodeMessage,
  deflate,
  encodeErrorPayloadJson,
  encodeHandshakeResponse,
  encodeMessagePacket,
  encodePacket,
  inflate,
  type ErrorPayload,
  HEARTBEAT_PACKET,
  KICK_PACKET,
} from '@pitaya-ts/protocol';

export type TransportKind = 'tcp' | 'ws' | 'tls';

export interface TestServerOptions {
  handshakeCode?: number;
  dict?: Record<string, number>;
  heartbeat?: number;
  /** Send the handshake response zlib-compressed, without a flag, as Pitaya does when it is shorter. */
  compressHandshake?: boolean;
  /** Never answer the handshake. */
  ignoreHandshake?: boolean;
  /** Answer each client heartbeat with one (keeps the client's liveness check happy). */
  echoHeartbeats?: boolean;
  /** Also listen with TLS (url('tls')). */
  tls?: { key: string; cert: string };
}

/** Something the server received. `message.data` is already inflated. */
export type Received =
  | { kind: 'handshake'; request: HandshakeRequest }
  | { kind: 'ack' }
  | { kind: 'heartbeat' }
  | { kind: 'message'; message: Message; wasCompressed: boolean }
  | { kind: 'closed' };

/** One accepted client connection. */
export class TestConnection {
  readonly received: Received[] = [];
  #waiters: Array<{ match: (r: Received) => boolean; resolve: (r: Received) => void }> = [];

  constructor(
    private readonly sendRaw: (data: Uint8Array | string) => void,
    private readonly end: () => void,
    readonly dictionary: RouteDictionary,
  ) {}

  /** Writes anything, bypassing packet framing (a string is a text frame on WebSocket). */
  sendUnframed(data: Uint8Array | string): void {
    this.sendRaw(data);
  }

  /** Resolves with the first received item (past or future) that matches. */
  waitFor<R extends Received>(match: (r: Received) => r is R): Promise<R>;
  waitFor(match: (r: Received) => boolean): Promise<Received>;
  waitFor(match: (r: Received) => boolean): Promise<Received> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** The next Request/Notify received, as a message. */
  async nextMessage(type: MessageType, after = 0): Promise<Message> {
    let n = 0;
    const r = await this.waitFor((x) => x.kind === 'message' && x.message.type === type && n++ >= after);
    return (r as Extract<Received, { kind: 'message' }>).message;
  }

  /** @internal */
  record(r: Received): void {
    this.received.push(r);
    this.#waiters = this.#waiters.filter((w) => (w.match(r) ? (w.resolve(r), false) : true));
  }

  send(packet: Uint8Array): void {
    this.sendRaw(packet);
  }

  sendMessage(init: MessageInit): void {
    this.send(encodeMessagePacket(init, this.dictionary));
  }

  respond(id: number, body: unknown, opts: { compress?: boolean } = {}): void {
    let data: Uint8Array = new TextEncoder().encode(JSON.stringify(body));
    if (opts.compress) data = deflate(data);
    this.sendMessage({ type: MessageType.Response, id, data, compressed: opts.compress });
  }

  respondError(id: number, error: ErrorPayload): void {
    this.sendMessage({ type: MessageType.Response, id, data: encodeErrorPayloadJson(error), error: true });
  }

  push(route: string, body: unknown, opts: { compress?: boolean } = {}): void {
    let data: Uint8Array = new TextEncoder().encode(JSON.stringify(body));
    if (opts.compress) data = deflate(data);
    this.sendMessage({ type: MessageType.Push, route, data, compressed: opts.compress });
  }

  kick(): void {
    this.send(KICK_PACKET);
    this.end();
  }

  close(): void {
    this.end();
  }
}

export class TestServer {
  readonly connections: TestConnection[] = [];
  readonly #tcpSockets = new Set<Socket>();
  #tcp: Server | undefined;
  #tls: Server | undefined;
  #ws: WebSocketServer | undefined;
  #connectionWaiters: Array<(c: TestConnection) => void> = [];
  readonly dictionary: RouteDictionary;

  constructor(readonly options: TestServerOptions = {}) {
    this.dictionary = new RouteDictionary(options.dict ?? {});
  }

  async start(): Promise<this> {
    this.#tcp = createServer((socket) => this.#acceptTcp(socket));
    await new Promise<void>((resolve) => this.#tcp!.listen(0, '127.0.0.1', resolve));
    this.#ws = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.#ws!.once('listening', resolve));
    this.#ws.on('connection', (ws) => this.#acceptWs(ws));
    if (this.options.tls) {
      this.#tls = createTlsServer(this.options.tls, (socket) => this.#acceptTcp(socket));
      await new Promise<void>((resolve) => this.#tls!.listen(0, '127.0.0.1', resolve));
    }
    return this;
  }

  url(kind: TransportKind): string {
    const server = kind === 'tcp' ? this.#tcp! : kind === 'tls' ? this.#tls! : this.#ws!;
    return `${kind}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The next connection (or the one already accepted at that index). */
  connection(index = 0): Promise<TestConnection> {
    if (this.connections[index]) return Promise.resolve(this.connections[index]);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.connections[index]) resolve(this.connections[index]);
        else this.#connectionWaiters.push(check);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    for (const client of this.#ws?.clients ?? []) client.terminate();
    for (const socket of this.#tcpSockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#ws ? this.#ws.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.#tcp ? this.#tcp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.#tls ? this.#tls.close(() => resolve()) : resolve()));
  }

  #acceptTcp(socket: Socket): void {
    socket.setNoDelay(true);
    const conn = this.#add((p) => socket.write(p), () => socket.end());
    const decoder = new PacketDecoder();
    socket.on('data', (chunk) => decoder.push(chunk, (type, body) => this.#onPacket(conn, type, body)));
    socket.on('error', () => undefined);
    this.#tcpSockets.add(socket);
    socket.on('close', () => {
      this.#tcpSockets.delete(socket);
      conn.record({ kind: 'closed' });
    });
  }

  #acceptWs(ws: WebSocket): void {
    const conn = this.#add((p) => ws.send(p, { binary: typeof p !== 'string' }), () => ws.close());
    ws.on('message', (data: Buffer) => {
      const { type, body } = decodeFrame(data);
      this.#onPacket(conn, type, body);
    });
    ws.on('close', () => conn.record({ kind: 'closed' }));
  }

  #add(send: (p: Uint8Array | string) => void, end: () => void): TestConnection {
    const conn = new TestConnection(send, end, this.dictionary);
    this.connections.push(conn);
    const waiters = this.#connectionWaiters;
    this.#connectionWaiters = [];
    for (const w of waiters) w(conn);
    return conn;
  }

  #onPacket(conn: TestConnection, type: PacketType, body: Uint8Array): void {
    const o = this.options;
    switch (type) {
      case PacketType.Handshake: {
        conn.record({ kind: 'handshake', request: decodeHandshakeRequest(body) });
        if (o.ignoreHandshake) return;
        const code = o.handshakeCode ?? 200;
        let json = encodeHandshakeResponse({
          code,
          sys: { dict: this.dictionary.toJSON(), heartbeat: o.heartbeat ?? 30, serializer: 'json' },
        });
        if (o.compressHandshake) json = deflate(json);
        conn.send(encodePacket(PacketType.Handshake, json));
        if (code !== 200) conn.close();
        return;
      }
      case PacketType.HandshakeAck:
        return conn.record({ kind: 'ack' });
      case PacketType.Heartbeat:
        conn.record({ kind: 'heartbeat' });
        if (o.echoHeartbeats) conn.send(HEARTBEAT_PACKET);
        return;
      case PacketType.Data: {
        const message = decodeMessage(body, this.dictionary);
        const wasCompressed = message.compressed;
        if (wasCompressed) message.data = inflate(message.data);
        return conn.record({ kind: 'message', message: { ...message, data: message.data.slice() }, wasCompressed });
      }
      default:
        throw new Error(`unexpected packet ${type}`);
    }
  }
}
