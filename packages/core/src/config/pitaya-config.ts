import type { ConfigKey } from './config-resolver';
import type { Duration } from './duration';

/**
 * Resolved core configuration. Keys follow Go Pitaya's (`pitaya.heartbeat.interval` …) and can be
 * overridden with `PITAYA_*` environment variables; durations are milliseconds here.
 */
export interface PitayaConfig {
  readonly heartbeat: { readonly interval: number };
  readonly handler: {
    readonly messages: {
      /** zlib-compress outgoing payloads when that makes them strictly shorter (Pitaya default: on). */
      readonly compression: boolean;
      /** Payloads shorter than this are never compressed: deflating them costs more than it saves. */
      readonly compressionMinBytes: number;
    };
  };
  readonly buffer: {
    readonly agent: {
      /** Bytes a connection may have queued for sending; past this the client is too slow and is disconnected. */
      readonly maxPendingBytes: number;
    };
    readonly handler: {
      /** Messages of one session waiting for their turn; past this the connection stops being read (backpressure). */
      readonly sessionQueue: number;
      /** Bytes of queued message bodies per session; past this the connection stops being read as well. */
      readonly sessionQueueBytes: number;
    };
  };
  readonly conn: {
    /** Largest packet body accepted from a client, in bytes (the wire allows 16 MiB − 1). */
    readonly maxPacketSize: number;
    readonly rateLimiting: {
      readonly limit: number;
      readonly interval: number;
      readonly forceDisable: boolean;
      /** Disconnect a client after this many dropped packets (0: never, only drop). */
      readonly kickAfter: number;
    };
    /** A connection that has not completed the handshake (ack included) by then is closed; 0 disables. */
    readonly handshakeTimeout: number;
    /** Open client connections of this process beyond which new ones are refused; 0: no cap. */
    readonly maxConnections: number;
    /** Open client connections from one IP address beyond which new ones are refused; 0: no cap. */
    readonly maxConnectionsPerIp: number;
    /**
     * Bytes of partially received packets held across all connections; a connection whose partial
     * packet would exceed it is closed (stalled senders cannot pin memory).
     */
    readonly partialPacketBudget: number;
  };
  readonly session: {
    readonly unique: boolean;
    readonly drain: { readonly enabled: boolean; readonly timeout: number; readonly period: number };
  };
  readonly groups: { readonly memory: { readonly tickDuration: number } };
  /** How long `close()` waits for in-flight requests before closing connections. */
  readonly shutdown: { readonly timeout: number };
  /** 1 = JSON, 2 = protobuf; 0 = use the `serializer` option. */
  readonly serializerType: number;
}

/** Configuration as written in code: every key optional, durations as milliseconds or Go strings. */
export type PitayaConfigInput = DeepInput<PitayaConfig>;

type DeepInput<T> = { readonly [K in keyof T]?: T[K] extends number ? number | Duration : T[K] extends object ? DeepInput<T[K]> : T[K] };

/** The core keys with Pitaya's defaults (spec §8) and ours where Pitaya has none. */
export const PITAYA_CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'heartbeat.interval', type: 'duration', default: 30_000, min: 1 },
  { key: 'handler.messages.compression', type: 'bool', default: true },
  { key: 'handler.messages.compressionMinBytes', type: 'int', default: 256, min: 0 },
  { key: 'buffer.agent.maxPendingBytes', type: 'int', default: 1 << 20, min: 1024 },
  { key: 'buffer.handler.sessionQueue', type: 'int', default: 100, min: 1 },
  { key: 'buffer.handler.sessionQueueBytes', type: 'int', default: 1 << 20, min: 1024 },
  { key: 'conn.maxPacketSize', type: 'int', default: 1 << 20, min: 64, max: 0xffffff },
  { key: 'conn.rateLimiting.limit', type: 'int', default: 20, min: 1 },
  { key: 'conn.rateLimiting.interval', type: 'duration', default: 1000 },
  { key: 'conn.rateLimiting.forceDisable', type: 'bool', default: false },
  { key: 'conn.rateLimiting.kickAfter', type: 'int', default: 0, min: 0 },
  { key: 'conn.handshakeTimeout', type: 'duration', default: 5000, min: 0 },
  { key: 'conn.maxConnections', type: 'int', default: 0, min: 0 },
  { key: 'conn.maxConnectionsPerIp', type: 'int', default: 0, min: 0 },
  { key: 'conn.partialPacketBudget', type: 'int', default: 64 << 20, min: 1024 },
  { key: 'session.unique', type: 'bool', default: true },
  { key: 'session.drain.enabled', type: 'bool', default: false },
  { key: 'session.drain.timeout', type: 'duration', default: 6 * 3_600_000 },
  { key: 'session.drain.period', type: 'duration', default: 5000 },
  { key: 'groups.memory.tickDuration', type: 'duration', default: 30_000, min: 1 },
  { key: 'shutdown.timeout', type: 'duration', default: 10_000 },
  { key: 'serializerType', type: 'int', default: 0, oneOf: [0, 1, 2] },
];
