import { connect as netConnect } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { PacketDecoder, ProtocolError } from '@pitaya-ts/protocol';
import type { Transport, TransportHandlers } from '../transport/transport';

/** Where to connect; `tls` set means TLS with those options. */
export interface TcpTarget {
  host: string;
  port: number;
  tls?: ConnectionOptions;
}

/** After `end()`, wait this long for the server's FIN before destroying the socket. */
const CLOSE_GRACE_MS = 1000;

/** Opens a TCP (or TLS) connection carrying a Pitaya packet stream (decoded by `PacketDecoder`). */
export function openTcpTransport(
  target: TcpTarget,
  handlers: TransportHandlers,
  signal: AbortSignal,
): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const { host, port, tls } = target;
    const socket = tls
      ? tlsConnect({ servername: isIp(host) ? undefined : host, ...tls, host, port })
      : netConnect({ host, port });
    socket.setNoDelay(true);
    const decoder = new PacketDecoder();
    let opened = false;
    let failure: string | undefined;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const destroy = (reason: string): void => {
      failure ??= reason;
      socket.destroy();
    };
    signal.addEventListener('abort', () => destroy('connect aborted'), { once: true });

    socket.once(tls ? 'secureConnect' : 'connect', () => {
      if (signal.aborted) return;
      opened = true;
      resolve({
        send(packet) {
          if (!socket.writable) throw new Error('socket is not writable');
          socket.write(packet);
        },
        close() {
          if (!socket.destroyed) {
            failure ??= 'closed by client';
            socket.end();
            setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
          }
          return closed;
        },
      });
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, handlers.onPacket);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        destroy(`protocol error: ${e.message}`);
      }
    });
    socket.on('error', (e) => {
      failure ??= e.message;
    });
    socket.once('close', () => {
      decoder.destroy();
      const reason = failure ?? 'connection closed by server';
      if (opened) handlers.onClose(reason);
      else reject(new Error(`${tls ? 'TLS' : 'TCP'} connection to ${host}:${port} failed: ${reason}`));
    });
  });
}

/** Parses `tcp://host:port` / `tls://host:port` (IPv6 in brackets). */
export function parseHostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const port = Number(u.port);
  if (!u.hostname || !Number.isInteger(port) || port <= 0) throw new Error(`"${url}" needs a host and a port`);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
