import * as net from 'node:net';
import * as tls from 'node:tls';
import { PacketDecoder, ProtocolError, type PacketType } from '@pitaya-ts/protocol';
import type { Acceptor, AcceptorAddress, AcceptorContext, Connection, ConnectionHandler } from './acceptor';
import { listenOn, stopServer } from './listen';
import { PartialPacketBudget } from './partial-packet-budget';
import { loadTls, type TlsOptions } from './tls-options';
import { CoalescingWriter, nextInputEvent } from './write-coalescing';

/** Options of the TCP acceptor. */
export interface TcpAcceptorOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Default `0.0.0.0`. */
  readonly host?: string;
  /** Serve TLS instead of plain TCP. */
  readonly tls?: TlsOptions;
  /** Largest packet body accepted; defaults to the application's `conn.maxPacketSize`. */
  readonly maxPacketSize?: number;
}

/**
 * Links a socket to its connection, so one set of listener functions serves every connection
 * (per-connection arrow functions and their contexts cost an idle connection ~60 B each), as in the
 * ws acceptor.
 */
const CONNECTION = Symbol('pitaya-ts.tcp-connection');
interface Linked {
  [CONNECTION]?: TcpConnection;
}

function onSocketData(this: net.Socket, chunk: Buffer): void {
  (this as Linked)[CONNECTION]!.onData(chunk);
}

function onSocketError(this: net.Socket): void {
  this.destroy();
}

function onSocketClose(this: net.Socket): void {
  (this as Linked)[CONNECTION]!.onClosed();
}

/** The connection whose chunk a decoder is reading: the packets it completes are that connection's. */
let reading: TcpConnection | undefined;

function onDecodedPacket(type: PacketType, body: Uint8Array): void {
  reading!.onPacket(type, body);
}

class TcpConnection implements Connection {
  readonly transport: string;
  readonly remoteAddress: string;
  private handler: ConnectionHandler | undefined;
  private readonly decoder: PacketDecoder;
  private ended = false;
  /** Bytes this connection holds of the process-wide partial-packet budget. */
  private held = 0;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly writer: CoalescingWriter;

  constructor(
    private readonly socket: net.Socket,
    maxPacketSize: number,
    secure: boolean,
    private readonly context: AcceptorContext,
    private readonly budget: PartialPacketBudget,
    private readonly live: Set<net.Socket>,
  ) {
    this.transport = secure ? 'tls' : 'tcp';
    this.remoteAddress = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
    this.decoder = new PacketDecoder({ maxBodyLength: maxPacketSize });
    this.writer = new CoalescingWriter(socket);
    socket.setNoDelay(true);
    (socket as Linked)[CONNECTION] = this;
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  /** The socket emitted 'close': it is gone. */
  onClosed(): void {
    this.live.delete(this.socket);
    clearTimeout(this.closeTimer);
    this.releaseBudget();
    this.handler?.onClose(this.ended ? 'closed' : 'connection closed by peer');
  }

  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  onPacket(type: PacketType, body: Uint8Array): void {
    this.handler!.onPacket(type, body);
  }

  onData(chunk: Buffer): void {
    const handler = this.handler;
    if (!handler) return;
    nextInputEvent(this.writer);
    // Data events come from the event loop, never from inside a handler; kept and restored anyway.
    const outer = reading;
    reading = this;
    try {
      this.decoder.push(chunk, onDecodedPacket);
      const next = this.decoder.heldBytes;
      if (next !== this.held) {
        if (!this.budget.update(this.held, next)) return this.overBudget(next);
        this.held = next;
      }
    } catch (error) {
      this.decoder.destroy();
      if (error instanceof ProtocolError) handler.onMalformed(error);
      else handler.onMalformed(new ProtocolError('BAD_PACKET_TYPE', `unexpected failure while reading: ${String(error)}`));
      this.socket.destroy();
    } finally {
      reading = outer;
    }
  }

  private overBudget(wanted: number): void {
    this.context.metrics.refused('partial-packet-budget');
    this.context.log.warn({ remote: this.remoteAddress, wanted, used: this.budget.usedBytes }, 'closing connection: partial packets of all connections are over conn.partialPacketBudget');
    this.destroy();
  }

  private releaseBudget(): void {
    if (this.held === 0) return;
    this.budget.update(this.held, 0);
    this.held = 0;
  }

  write(packet: Uint8Array): void {
    if (!this.ended) this.writer.write(packet);
  }

  writeMany(packets: readonly Uint8Array[]): void {
    if (!this.ended) this.writer.write(concatenated(packets));
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
    this.decoder.destroy();
    this.releaseBudget();
    this.writer.flush();
    this.socket.end();
    // A peer that never reads would keep the socket half-open: give it a moment, then cut (cleared on close).
    this.closeTimer = setTimeout(() => this.socket.destroy(), 5000);
    this.closeTimer.unref();
  }

  destroy(): void {
    this.ended = true;
    this.decoder.destroy();
    this.releaseBudget();
    this.writer.flush();
    this.socket.destroy();
  }
}

// The last run of packets joined: a frontend delivering a run of cluster pushes hands every member the same array.
let lastRun: readonly Uint8Array[] | undefined;
let lastRunBytes: Buffer | undefined;

/** The packets back to back (the stream is framed by each packet's own header), joined once per run. */
function concatenated(packets: readonly Uint8Array[]): Buffer {
  if (packets !== lastRun) {
    lastRun = packets;
    lastRunBytes = Buffer.concat(packets);
  }
  return lastRunBytes!;
}

/** Plain TCP (or TLS) acceptor: a byte stream framed by the Pitaya packet header. */
export class TcpAcceptor implements Acceptor {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  address: AcceptorAddress | undefined;

  constructor(private readonly options: TcpAcceptorOptions) {}

  get name(): string {
    return `${this.options.tls ? 'tls' : 'tcp'}:${this.address?.port ?? this.options.port}`;
  }

  async listen(onConnection: (connection: Connection) => void, context: AcceptorContext): Promise<AcceptorAddress> {
    const maxPacketSize = this.options.maxPacketSize ?? context.config.conn.maxPacketSize;
    const secure = this.options.tls !== undefined;
    const budget = context.partialPackets ?? new PartialPacketBudget(context.config.conn.partialPacketBudget);
    const accept = (socket: net.Socket): void => {
      this.sockets.add(socket);
      onConnection(new TcpConnection(socket, maxPacketSize, secure, context, budget, this.sockets));
    };
    const server = secure
      ? tls.createServer({ ...loadTls(this.options.tls!) }, accept)
      : net.createServer({ noDelay: true }, accept);
    server.on('tlsClientError', () => undefined);
    this.server = server;
    this.address = await listenOn(server, this.options.port, this.options.host ?? '0.0.0.0');
    return this.address;
  }

  async stopAccepting(): Promise<void> {
    await stopServer(this.server);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await stopServer(this.server);
    this.server = undefined;
  }
}

/** A TCP acceptor: `tcp({ port: 3252 })`, or TLS with `tcp({ port, tls: { certFile, keyFile } })`. */
export function tcp(options: TcpAcceptorOptions): TcpAcceptor {
  return new TcpAcceptor(options);
}
