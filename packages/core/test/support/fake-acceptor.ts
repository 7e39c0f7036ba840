import { decodeFrame, PacketType, ProtocolError } from '@pitaya-ts/protocol';
import type { Acceptor, AcceptorAddress, AcceptorContext, Connection, ConnectionHandler } from '@pitaya-ts/core';

/** An in-memory connection: the test delivers packets and reads what the server wrote. */
export class FakeConnection implements Connection {
  readonly transport = 'fake';
  readonly remoteAddress = '127.0.0.1:1';
  pendingBytes = 0;
  readonly written: Uint8Array[] = [];
  paused = false;
  pauseCount = 0;
  closed = false;
  private handler!: ConnectionHandler;

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }
  /** Delivers one framed packet, like the WS acceptor does. */
  deliver(frame: Uint8Array): void {
    try {
      const { type, body } = decodeFrame(frame);
      this.handler.onPacket(type, body);
    } catch (error) {
      if (error instanceof ProtocolError) this.handler.onMalformed(error);
      else throw error;
    }
  }
  write(packet: Uint8Array): void {
    this.written.push(packet);
  }
  /** Packets written of a given type. */
  writtenOfType(type: PacketType): Uint8Array[] {
    return this.written.filter((p) => p[0] === type);
  }
  pause(): void {
    this.paused = true;
    this.pauseCount++;
  }
  resume(): void {
    this.paused = false;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.onClose('closed');
  }
  destroy(): void {
    this.close();
  }
}

/** An acceptor that accepts FakeConnections on demand. */
export class FakeAcceptor implements Acceptor {
  readonly name = 'fake';
  address: AcceptorAddress | undefined;
  private onConnection: ((c: Connection) => void) | undefined;

  listen(onConnection: (c: Connection) => void, _context: AcceptorContext): Promise<AcceptorAddress> {
    this.onConnection = onConnection;
    this.address = { host: 'fake', port: 0 };
    return Promise.resolve(this.address);
  }
  connect(): FakeConnection {
    const connection = new FakeConnection();
    this.onConnection!(connection);
    return connection;
  }
  stopAccepting(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
