import type { Acceptor, AcceptorAddress, Connection, ConnectionHandler } from '@pitaya-ts/core';

/** An in-memory connection that counts what the server writes to it. */
export class SinkConnection implements Connection {
  readonly transport = 'ws';
  readonly remoteAddress = '127.0.0.1:1';
  readonly pendingBytes = 0;
  handler: ConnectionHandler | undefined;
  written = 0;

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }
  write(): void {
    this.written++;
  }
  pause(): void {}
  resume(): void {}
  close(): void {}
  destroy(): void {}
}

/**
 * An acceptor of `count` in-memory connections whose writes are only counted: the in-process tools
 * feed their handlers decoded packets in a loop, so what they time is the framework alone.
 */
// Not @pitaya-ts/testing's MemoryAcceptor: that one copies every packet and hands it to a client in
// a microtask, which is what it is for; here the server's writes are only counted, so the loop
// measures the framework and nothing else.
export class SinkAcceptor implements Acceptor {
  readonly name = 'sink';
  readonly address: AcceptorAddress = { host: 'memory', port: 0 };
  readonly connections: SinkConnection[] = [];

  constructor(private readonly count: number) {}

  listen(onConnection: (connection: Connection) => void): Promise<AcceptorAddress> {
    for (let i = 0; i < this.count; i++) {
      const connection = new SinkConnection();
      this.connections.push(connection);
      onConnection(connection);
    }
    return Promise.resolve(this.address);
  }
  stopAccepting(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
