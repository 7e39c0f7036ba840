import type { HandshakeSys } from '@pitaya-ts/protocol';
import type { WebSocketConstructorLike } from './transport/websocket-transport';

/** Options of `PitayaClient.connect`. */
export interface ClientOptions {
  /** Sent in the Handshake packet. `sys` is merged over {@link DEFAULT_HANDSHAKE_SYS}. */
  handshake?: { sys?: Partial<HandshakeSys>; user?: Record<string, unknown> };
  /** A request with no response after this long rejects with `PIT-504`. Default 10 000. */
  requestTimeoutMs?: number;
  /** Transport open + handshake must finish within this long, else `PIT-504`. Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * `json` (default): bodies are JSON-encoded, replies and pushes JSON-decoded (a payload that is not
   * JSON, such as a Go `[]byte` reply, is delivered as a Uint8Array). `raw`: Uint8Array in and out.
   */
  encoding?: 'json' | 'raw';
  /** Like libpitaya: zlib request bodies, keep only if strictly shorter, flag 0x10. Default false. */
  compressRequests?: boolean;
  /** WebSocket implementation; default `globalThis.WebSocket` (the `ws` package in the node entry). */
  WebSocket?: WebSocketConstructorLike;
}

/** The `sys` a client sends unless told otherwise. */
export const DEFAULT_HANDSHAKE_SYS: Readonly<HandshakeSys> = Object.freeze({
  platform: 'js',
  libVersion: 'pitaya-ts-client/0.1.0',
  clientBuildNumber: '1',
  clientVersion: '0.1.0',
});

/** Options with defaults applied. @internal */
export interface ResolvedClientOptions {
  handshake: { sys: HandshakeSys; user?: Record<string, unknown> };
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  encoding: 'json' | 'raw';
  compressRequests: boolean;
}

/** @internal */
export function resolveOptions(options: ClientOptions): ResolvedClientOptions {
  const sys: HandshakeSys = { ...DEFAULT_HANDSHAKE_SYS, ...options.handshake?.sys };
  const handshake: ResolvedClientOptions['handshake'] = { sys };
  if (options.handshake?.user) handshake.user = options.handshake.user;
  return {
    handshake,
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
    connectTimeoutMs: positive(options.connectTimeoutMs, 10_000, 'connectTimeoutMs'),
    encoding: options.encoding ?? 'json',
    compressRequests: options.compressRequests ?? false,
  };
}

function positive(v: number | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${name} must be a positive number, got ${v}`);
  return v;
}
