import { decodeFrame, ProtocolError } from '@pitaya-ts/protocol';
import type { Acceptor, AcceptorAddress, AcceptorContext, Connection, ConnectionHandler } from '@pitaya-ts/core';
import { PitayaClient, type NodeClientOptions } from '@pitaya-ts/client/node';

/** The client end of an in-memory connection, as the client library's transport interface sees it. */
interface ClientEnd {
  onPacket(type: number, body: Uint8Array): void;
  onClose(reason: string): void;
}

/**
 * One in-memory connection. Packets cross in a microtask each way (never re-entrantly), in order;
 * `pause()` holds the client's packets until `resume()`, like a socket that stops being read.
 */
class MemoryConnection implements Connection {
  readonly transport = 'memory';
  readonly remoteAddress = 'memory';
  readonly pendingBytes = 0;
  private handler: ConnectionHandler | undefined;
  private paused = false;
  private held: Uint8Array[] = [];
  private closed = false;

  constructor(private readonly client: ClientEnd, private readonly onGone: () => void) {}

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  /** From the client. */
  fromClient(frame: Uint8Array): void {
    if (this.closed) throw new Error('connection closed');
    const copy = Uint8Array.from(frame);
    queueMicrotask(() => (this.paused ? this.held.push(copy) : this.deliver(copy)));
  }

  private deliver(frame: Uint8Array): void {
    if (this.closed || !this.handler) return;
    try {
      const { type, body } = decodeFrame(frame);
      this.handler.onPacket(type, body);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.handler.onMalformed(error);
      this.destroy();
    }
  }

  write(packet: Uint8Array): void {
    if (this.closed) return;
    const copy = Uint8Array.from(packet);
    queueMicrotask(() => {
      if (this.closed) return;
      const { type, body } = decodeFrame(copy);
      this.client.onPacket(type, body);
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const frame of held) this.deliver(frame);
  }

  close(): void {
    // Let the writes already queued reach the client first.
    queueMicrotask(() => this.destroy());
  }

  destroy(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    this.handler?.onClose(reason);
    this.client.onClose(reason);
    this.onGone();
  }
}

const acceptors = new Map<string, MemoryAcceptor>();
let nextId = 1;

/**
 * An acceptor without sockets: clients connect with {@link connectMemoryClient} (or a
 * `memory://` URL through {@link MemoryPitayaClient}) and talk the real protocol through the real
 * agent, dispatcher and serializers, with nothing listening on the machine.
 */
export class MemoryAcceptor implements Acceptor {
  readonly url = `memory://${nextId++}`;
  readonly name = this.url;
  address: AcceptorAddress | undefined;
  private onConnection: ((connection: Connection) => void) | undefined;
  private readonly open = new Set<MemoryConnection>();

  listen(onConnection: (connection: Connection) => void, _context: AcceptorContext): Promise<AcceptorAddress> {
    this.onConnection = onConnection;
    this.address = { host: 'memory', port: 0 };
    acceptors.set(this.url, this);
    return Promise.resolve(this.address);
  }

  /** Opens a connection for a client end; throws when not accepting. */
  accept(client: ClientEnd): MemoryConnection {
    if (!this.onConnection) throw new Error(`${this.url} is not accepting connections`);
    const connection: MemoryConnection = new MemoryConnection(client, () => this.open.delete(connection));
    this.open.add(connection);
    this.onConnection(connection);
    return connection;
  }

  stopAccepting(): Promise<void> {
    this.onConnection = undefined;
    acceptors.delete(this.url);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.stopAccepting();
    for (const connection of [...this.open]) connection.destroy('acceptor closed');
  }
}

/** An in-memory acceptor for `acceptors: [memory()]`. */
export function memory(): MemoryAcceptor {
  return new MemoryAcceptor();
}

/** {@link PitayaClient} that also connects to `memory://` URLs of {@link MemoryAcceptor}s in this process. */
export class MemoryPitayaClient extends PitayaClient {
  protected static override openTransport(
    url: string,
    options: NodeClientOptions,
    handlers: ClientEnd,
    signal: AbortSignal,
  ): Promise<{ send(packet: Uint8Array): void; close(): Promise<void> }> {
    if (!url.startsWith('memory://')) return super.openTransport(url, options, handlers, signal);
    const acceptor = acceptors.get(url);
    if (!acceptor) return Promise.reject(new Error(`nothing accepts connections at ${url}`));
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    const connection = acceptor.accept(handlers);
    return Promise.resolve({
      send: (packet: Uint8Array) => connection.fromClient(packet),
      close: () => {
        connection.destroy('client closed');
        return Promise.resolve();
      },
    });
  }
}

/** Connects a client (real handshake) to an in-memory acceptor. */
export async function connectMemoryClient(acceptor: MemoryAcceptor, options: NodeClientOptions = {}): Promise<PitayaClient> {
  return MemoryPitayaClient.connect(acceptor.url, options);
}
