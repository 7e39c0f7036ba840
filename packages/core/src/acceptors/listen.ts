import type { Server } from 'node:net';
import type { AcceptorAddress } from './acceptor';

/** Listens and settles on the server's own `listening` or `error` event. */
export function listenOn(server: Pick<Server, 'listen' | 'once' | 'off' | 'address'>, port: number, host: string): Promise<AcceptorAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? { host: address.address, port: address.port } : { host, port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops accepting; resolves at once (open connections are not waited for). */
export function stopServer(server: Pick<Server, 'close' | 'listening'> | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // `close` calls back only when every connection is gone; we only need the listener closed.
    setImmediate(resolve);
  });
}
