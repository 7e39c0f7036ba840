import * as http from 'node:http';
import * as https from 'node:https';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decodeFrame, PACKET_HEADER_LENGTH, ProtocolError } from '@pitaya-ts/protocol';
import type { Acceptor, AcceptorAddress, AcceptorContext, Connection, ConnectionHandler } from './acceptor';
import type { Socket } from 'node:net';
import { listenOn, stopServer } from './listen';
import { PartialPacketBudget } from './partial-packet-budget';
import { loadTls, type TlsOptions } from './tls-options';
import { CoalescingWriter, nextInputEvent } from './write-coalescing';

/** Options of the WebSocket acceptor. */
export interface WsAcceptorOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Default `0.0.0.0`. */
  readonly host?: string;
  /** Serve `wss://`. */
  readonly tls?: TlsOptions;
  /** Only upgrade requests for this path. Default: every path, like Pitaya. */
  readonly path?: string;
  /** Largest packet body accepted; defaults to the application's `conn.maxPacketSize`. */
  readonly maxPacketSize?: number;
  /**
   * Use the first address of `X-Forwarded-For` as the client's address. Only behind a proxy you
   * control: clients can write that header themselves.
   */
  readonly trustProxy?: boolean;
  /** Handles plain HTTP requests on the same port (the WebSocket upgrade is taken first). */
  readonly httpHandler?: http.RequestListener;
}

/**
 * What `ws` (pinned in package.json) holds of a frame or message in progress. Its receiver has no
 * public API for this; read defensively so a future `ws` without these fields only loses the budget.
 */
interface WsReceiverInternals {
  /** Received bytes not parsed yet: a frame waiting for the rest of its payload. */
  readonly _bufferedBytes?: number;
  /** Earlier frames of a fragmented message. */
  readonly _fragments?: readonly Uint8Array[];
  /** The receiver's Writable `write`, which ws's socket 'data' listener calls with each chunk. */
  write?: (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
}

/**
 * Links a `ws` socket and its receiver to their connection, so one set of listener functions serves
 * every connection: per-connection arrow functions and closures (message, close, error, the receiver's
 * write, the acceptor's bookkeeping) cost an idle connection ~60 B each plus their contexts.
 */
const CONNECTION = Symbol('pitaya-ts.ws-connection');
interface Linked {
  [CONNECTION]?: WsConnection;
}

function onSocketMessage(this: WebSocket, data: RawData): void {
  (this as Linked)[CONNECTION]!.onMessage(data);
}

function onSocketError(this: WebSocket): void {
  this.terminate();
}

function onSocketClose(this: WebSocket): void {
  (this as Linked)[CONNECTION]!.onClosed();
}

/** The receivers' own `write` (Writable's), which {@link receiverWriteThenCheck} calls: the same function for every receiver. */
let receiverWrite: WsReceiverInternals['write'];

function receiverWriteThenCheck(this: WsReceiverInternals & Linked, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const more = receiverWrite!.call(this, chunk, encoding, callback);
  this[CONNECTION]!.afterChunk();
  return more;
}

class WsConnection implements Connection {
  readonly transport: string;
  private handler: ConnectionHandler | undefined;
  private ended = false;
  /** Bytes this connection holds of the process-wide partial-packet budget. */
  private held = 0;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly writer: CoalescingWriter;
  /** A message of the chunk being read was handled: the chunk's input event has begun. */
  private inChunk = false;

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string,
    private readonly maxPacketSize: number,
    secure: boolean,
    private readonly raw: Socket,
    private readonly context: AcceptorContext,
    private readonly budget: PartialPacketBudget,
    private readonly live: Set<WebSocket>,
  ) {
    this.transport = secure ? 'wss' : 'ws';
    this.writer = new CoalescingWriter(raw);
    (socket as Linked)[CONNECTION] = this;
    socket.on('message', onSocketMessage);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
    // After each chunk ws's receiver has parsed (it emits the chunk's messages synchronously), what
    // it still holds is a partial frame or an unfinished fragmented message: checked right after
    // the receiver's write. Wrapping that write instead of adding a second 'data' listener to the
    // socket keeps the socket's 'data' emit on its one-listener path (with two, every chunk cloned
    // the listener array: ~0.25 µs of a ~25 µs echo in the profile). A `ws` without the receiver
    // falls back to the listener.
    const receiver = (socket as unknown as { _receiver?: WsReceiverInternals & Linked })._receiver;
    if (receiver !== undefined && typeof receiver.write === 'function' && (receiverWrite === undefined || receiver.write === receiverWrite)) {
      receiverWrite = receiver.write;
      receiver[CONNECTION] = this;
      receiver.write = receiverWriteThenCheck;
    } else {
      raw.on('data', () => this.afterChunk());
    }
  }

  /** `ws` emitted 'close': the socket is gone. */
  onClosed(): void {
    this.live.delete(this.socket);
    clearTimeout(this.closeTimer);
    this.releaseBudget();
    this.handler?.onClose(this.ended ? 'closed' : 'connection closed by peer');
  }

  afterChunk(): void {
    // The chunk's messages were handled under one input event (begun by the first of them); the
    // next chunk begins another. Runs after ws's parse of the chunk, never before it.
    this.inChunk = false;
    if (this.ended) return;
    const receiver = (this.socket as unknown as { _receiver?: WsReceiverInternals })._receiver;
    let next = receiver?._bufferedBytes ?? 0;
    for (const fragment of receiver?._fragments ?? []) next += fragment.length;
    if (next === this.held) return;
    if (!this.budget.update(this.held, next)) {
      this.context.metrics.refused('partial-packet-budget');
      this.context.log.warn({ remote: this.remoteAddress, wanted: next, used: this.budget.usedBytes }, 'closing connection: partial packets of all connections are over conn.partialPacketBudget');
      this.destroy();
      return;
    }
    this.held = next;
  }

  private releaseBudget(): void {
    if (this.held === 0) return;
    this.budget.update(this.held, 0);
    this.held = 0;
  }

  get pendingBytes(): number {
    // Everything waits in the one socket: ws writes its own frames there too and keeps no queue of
    // its own without permessage-deflate (off here).
    return this.raw.writableLength;
  }

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  onMessage(data: RawData): void {
    const handler = this.handler;
    if (!handler || this.ended) return;
    if (!this.inChunk) {
      this.inChunk = true;
      nextInputEvent(this.writer);
    }
    try {
      // One packet per WebSocket message, exactly (Pitaya rejects shorter and longer frames).
      const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      const packet = decodeFrame(frame, this.maxPacketSize);
      handler.onPacket(packet.type, packet.body);
    } catch (error) {
      handler.onMalformed(error instanceof ProtocolError ? error : new ProtocolError('LENGTH_MISMATCH', `unexpected failure while reading: ${String(error)}`));
      this.destroy();
    }
  }

  write(packet: Uint8Array): void {
    // The frame goes straight to the socket in one write: ws's send would build a separate header and
    // cork two writes into a writev, per message. Safe to mix with ws's own frames (ping, pong, close):
    // each write is a whole frame, and ws queues nothing itself without permessage-deflate.
    if (!this.ended && this.socket.readyState === WebSocket.OPEN) this.writer.write(binaryFrame(packet));
  }

  writeMany(packets: readonly Uint8Array[]): void {
    // One frame per packet (Pitaya's clients take exactly one packet per message), all in one buffer.
    if (!this.ended && this.socket.readyState === WebSocket.OPEN) this.writer.write(binaryFrames(packets));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.releaseBudget();
    this.writer.flush();
    this.socket.close(1000);
    // ws waits up to 30 s for the peer's close frame; a dead peer should not hold the socket that long (cleared on close).
    this.closeTimer = setTimeout(() => this.socket.terminate(), 5000);
    this.closeTimer.unref();
  }

  destroy(): void {
    this.ended = true;
    this.releaseBudget();
    this.writer.flush();
    this.socket.terminate();
  }
}

// The last frame built: a broadcast writes one packet to many connections, framed once.
let lastPacket: Uint8Array | undefined;
let lastFrame: Buffer | undefined;

// The last run of packets framed: a frontend delivering a run of cluster pushes hands every member the same array.
let lastRun: readonly Uint8Array[] | undefined;
let lastRunFrames: Buffer | undefined;

/** `packet` as one unmasked, final, binary WebSocket frame (RFC 6455 §5.2: servers never mask). */
function binaryFrame(packet: Uint8Array): Buffer {
  if (packet === lastPacket) return lastFrame!;
  const frame = Buffer.allocUnsafe(frameHeaderLength(packet.length) + packet.length);
  putFrame(frame, 0, packet);
  lastPacket = packet;
  lastFrame = frame;
  return frame;
}

/** Each packet as its own binary frame, the frames back to back in one buffer. */
function binaryFrames(packets: readonly Uint8Array[]): Buffer {
  if (packets === lastRun) return lastRunFrames!;
  let size = 0;
  for (let i = 0; i < packets.length; i++) size += frameHeaderLength(packets[i]!.length) + packets[i]!.length;
  const frames = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < packets.length; i++) at = putFrame(frames, at, packets[i]!);
  lastRun = packets;
  lastRunFrames = frames;
  return frames;
}

function frameHeaderLength(n: number): number {
  return n < 126 ? 2 : n < 0x10000 ? 4 : 10;
}

/** Writes `packet`'s frame at `at`; returns the offset after it. */
function putFrame(out: Buffer, at: number, packet: Uint8Array): number {
  const n = packet.length;
  const header = frameHeaderLength(n);
  out[at] = 0x82;
  if (header === 2) {
    out[at + 1] = n;
  } else if (header === 4) {
    out[at + 1] = 126;
    out.writeUInt16BE(n, at + 2);
  } else {
    out[at + 1] = 127;
    out.writeUInt32BE(0, at + 2); // packets are far below 2^32 bytes (the body length field is 24 bits)
    out.writeUInt32BE(n, at + 6);
  }
  out.set(packet, at + header);
  return at + header + n;
}

/** WebSocket acceptor (binary messages, one packet each), optionally over TLS. */
export class WsAcceptor implements Acceptor {
  private server: http.Server | https.Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  address: AcceptorAddress | undefined;

  constructor(private readonly options: WsAcceptorOptions) {}

  get name(): string {
    return `${this.options.tls ? 'wss' : 'ws'}:${this.address?.port ?? this.options.port}`;
  }

  async listen(onConnection: (connection: Connection) => void, context: AcceptorContext): Promise<AcceptorAddress> {
    const maxPacketSize = this.options.maxPacketSize ?? context.config.conn.maxPacketSize;
    const secure = this.options.tls !== undefined;
    const budget = context.partialPackets ?? new PartialPacketBudget(context.config.conn.partialPacketBudget);
    const httpHandler = this.options.httpHandler ?? ((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket endpoint\n'));
    const server = secure ? https.createServer(loadTls(this.options.tls!), httpHandler) : http.createServer(httpHandler);
    const wss = new WebSocketServer({
      server,
      path: this.options.path,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: maxPacketSize + PACKET_HEADER_LENGTH,
    });
    wss.on('connection', (socket, request) => {
      this.sockets.add(socket);
      onConnection(new WsConnection(socket, this.remoteAddressOf(request), maxPacketSize, secure, request.socket, context, budget, this.sockets));
    });
    wss.on('error', () => undefined);
    this.server = server;
    this.wss = wss;
    this.address = await listenOn(server, this.options.port, this.options.host ?? '0.0.0.0');
    return this.address;
  }

  private remoteAddressOf(request: http.IncomingMessage): string {
    const forwarded = this.options.trustProxy ? request.headers['x-forwarded-for'] : undefined;
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return first || `${request.socket.remoteAddress ?? ''}:${request.socket.remotePort ?? ''}`;
  }

  async stopAccepting(): Promise<void> {
    await stopServer(this.server);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss?.close();
    await stopServer(this.server);
    this.server = undefined;
  }
}

/** A WebSocket acceptor: `ws({ port: 3250 })`, or `ws({ port, tls: { certFile, keyFile } })` for wss. */
export function ws(options: WsAcceptorOptions): WsAcceptor {
  return new WsAcceptor(options);
}
