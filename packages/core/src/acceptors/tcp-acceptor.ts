import * as net from 'node:net';
import * as tls from 'node:tls';
import { PacketDecoder, ProtocolError, type PacketType } from '@pitaya-ts/protocol';
import type { Acceptor, AcceptorAddress, AcceptorContext, Connection, ConnectionHandler } from './acceptor';
import { listenOn, stopServer } from './listen';
import { loadTls, type TlsOptions } from './tls-options';

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

class TcpConnection implements Connection {
  readonly transport: string;
  readonly remoteAddress: string;
  private handler: ConnectionHandler | undefined;
  private readonly decoder: PacketDecoder;
  private ended = false;

  constructor(private readonly socket: net.Socket, maxPacketSize: number, secure: boolean) {
    this.transport = secure ? 'tls' : 'tcp';
    this.remoteAddress = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
    this.decoder = new PacketDecoder({ maxBodyLength: maxPacketSize });
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.handler?.onClose(this.ended ? 'closed' : 'connection closed by peer'));
  }

  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  // Bound once: a chunk carries several packets and arrives thousands of times a second.
  private readonly onPacket = (type: PacketType, body: Uint8Array): void => this.handler!.onPacket(type, body);

  private readonly onData = (chunk: Buffer): void => {
    const handler = this.handler;
    if (!handler) return;
    try {
      this.decoder.push(chunk, this.onPacket);
    } catch (error) {
      this.decoder.destroy();
      if (error instanceof ProtocolError) handler.onMalformed(error);
      else handler.onMalformed(new ProtocolError('BAD_PACKET_TYPE', `unexpected failure while reading: ${String(error)}`));
      this.socket.destroy();
    }
  };

  write(packet: Uint8Array): void {
    if (!this.ended) this.socket.write(packet);
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
    this.socket.end();
    // A peer that never reads would keep the socket half-open: give it a moment, then cut.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  destroy(): void {
    this.ended = true;
    this.decoder.destroy();
    this.socket.destroy();
  }
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
    const accept = (socket: net.Socket): void => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      onConnection(new TcpConnection(socket, maxPacketSize, secure));
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
