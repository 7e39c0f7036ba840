/**
 * `@pitaya-ts/client`: a Pitaya client over WebSocket, browser-safe (no Node imports).
 * Use `@pitaya-ts/client/node` for TCP/TLS and the `ws` package.
 */
export { PitayaClient } from './pitaya-client';
export { ClientError } from './client-error';
export { type TypedPitayaClient, createTypedClient } from './typed-client';
export type { ApiOf, ClientApi } from '@pitaya-ts/protocol';
export { type ClientOptions, DEFAULT_HANDSHAKE_SYS } from './client-options';
export type { ClientEncoding } from './payload-codec';
export type { Transport, TransportHandlers, TransportOpener } from './transport/transport';
export {
  type WebSocketConstructorLike,
  type WebSocketEventLike,
  type WebSocketLike,
  openWebSocketTransport,
} from './transport/websocket-transport';
