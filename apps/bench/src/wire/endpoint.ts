/** The two client transports Pitaya speaks: WebSocket (one packet per binary message) and a TCP byte stream. */
export type Transport = 'ws' | 'tcp';

/** Where a load generator connects. Always loopback in this benchmark. */
export interface Endpoint {
  readonly transport: Transport;
  readonly host: string;
  readonly port: number;
  /**
   * WebSocket client of the generator: `raw` (default) frames on a `net` socket with pre-masked
   * requests (`ws-frames.ts`); `ws-library` is the `ws` package's client, kept to measure what the
   * raw client saves (the bench's generator-calibration row).
   */
  readonly wsClient?: WsClientKind;
}

/** See {@link Endpoint.wsClient}. */
export type WsClientKind = 'raw' | 'ws-library';

/** The routes a target answers; pinus names its handler after the file, Pitaya after the service. */
export interface BenchRoutes {
  /** Request route answered with its own body. */
  readonly echo: string;
  /** Request route with body `{room, uid}`: binds the uid and joins the room. */
  readonly join: string;
  /** Notify route with body `{ts, room, pad}`: broadcast to the room as push {@link PUSH_ROUTE}. */
  readonly send: string;
}

/** Push route of every broadcast. */
export const PUSH_ROUTE = 'onMsg';
