import type { EventEmitter } from 'node:events';
import type { ServerHttp2Session } from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/**
 * HTTP/2 connection receive window of every gRPC connection, both ends (bytes).
 *
 * Node's default is 65,535 bytes per connection. A frontend forwarding many requests at once to one
 * backend sends them as concurrent streams on one connection; once their bytes in flight pass the
 * window (1,000 concurrent ~300-byte `protos.Request`s do), nghttp2 defers the DATA of some streams,
 * and under sustained load a deferred stream can wait past its 5 s deadline while newer streams go
 * first: requests time out with the backend idle. Measured with 1,000 concurrent 300-byte calls:
 * 12 deadline errors in 6 s and 4.1k calls/s at the default, none and 5.3k calls/s at 4 MiB.
 *
 * 4 MiB bounds what one peer connection may have buffered at the receiver; grpc-go (Go Pitaya's
 * transport) grows its windows the same way, up to 16 MiB, by bandwidth-delay estimation.
 */
export const GRPC_CONNECTION_WINDOW_BYTES = 4 * 1024 * 1024;

/** Channel option of grpc-js that sets the client's receive window (responses). */
export const CLIENT_FLOW_CONTROL_OPTIONS: grpc.ChannelOptions = { 'grpc-node.flow_control_window': GRPC_CONNECTION_WINDOW_BYTES };

/**
 * Raises the receive window of every connection `server` accepts from now on (requests). grpc-js
 * has no server option for it, so this reaches its HTTP/2 servers (`http2Servers`, filled by
 * `bindAsync`). Returns false, changing nothing, if that field is not there: a grpc-js upgrade
 * then leaves the default window, which works, only slower under many concurrent calls.
 */
export function raiseServerWindows(server: grpc.Server, bytes = GRPC_CONNECTION_WINDOW_BYTES): boolean {
  const http2Servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(http2Servers instanceof Map)) return false;
  let raised = false;
  for (const http2Server of http2Servers.keys() as IterableIterator<unknown>) {
    if (typeof (http2Server as Partial<EventEmitter> | null)?.on !== 'function') continue;
    (http2Server as EventEmitter).on('session', (session: ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(bytes);
      } catch {
        // A session already closing: nothing to raise.
      }
    });
    raised = true;
  }
  return raised;
}
