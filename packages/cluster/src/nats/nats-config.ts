import type { ConfigKey } from '@pitaya-ts/core/internal';

/** Connection settings shared by the NATS RPC client and server (Pitaya's `pitaya.cluster.rpc.*.nats.*`). Durations in ms. */
export interface NatsConnectionConfig {
  /** NATS URL(s), comma-separated: Pitaya's `connect`. */
  readonly connect: string;
  readonly connectionTimeout: number;
  /**
   * Reconnect attempts per outage before the client gives up. Pitaya then kills the process; here the
   * connection is rebuilt in the background instead (see `NatsLink`), so a long NATS outage is survived.
   */
  readonly maxReconnectionRetries: number;
  readonly reconnectWait: number;
  readonly reconnectJitter: number;
  readonly reconnectJitterTls: number;
  readonly pingInterval: number;
  readonly maxPingsOutstanding: number;
  /** Accepted for Pitaya compatibility; only meaningful for NATS over WebSocket, which the Node client does not use. */
  readonly websocketCompression: boolean;
}

/** `pitaya.cluster.rpc.client.nats.*`. */
export interface NatsClientConfig extends NatsConnectionConfig {
  readonly requestTimeout: number;
}

/** `pitaya.cluster.rpc.server.nats.*`. */
export interface NatsServerConfig extends NatsConnectionConfig {
  /** Requests handled at once (Pitaya's worker goroutines). */
  readonly services: number;
  readonly buffer: {
    /** Requests waiting for a free worker; beyond this they are dropped and counted (Pitaya's slow consumer). */
    readonly messages: number;
    /** Pitaya's push channel size; pushes are delivered synchronously here, so it is accepted but unused. */
    readonly push: number;
  };
}

const connectionKeys = (side: 'client' | 'server'): ConfigKey[] => [
  { key: `cluster.rpc.${side}.nats.connect`, type: 'string', default: 'nats://localhost:4222' },
  { key: `cluster.rpc.${side}.nats.connectionTimeout`, type: 'duration', default: 2000, min: 1 },
  { key: `cluster.rpc.${side}.nats.maxReconnectionRetries`, type: 'int', default: 15, min: 0 },
  { key: `cluster.rpc.${side}.nats.reconnectWait`, type: 'duration', default: 1000, min: 1 },
  { key: `cluster.rpc.${side}.nats.reconnectJitter`, type: 'duration', default: 100 },
  { key: `cluster.rpc.${side}.nats.reconnectJitterTls`, type: 'duration', default: 1000 },
  { key: `cluster.rpc.${side}.nats.pingInterval`, type: 'duration', default: 120_000, min: 1 },
  { key: `cluster.rpc.${side}.nats.maxPingsOutstanding`, type: 'int', default: 3, min: 1 },
  { key: `cluster.rpc.${side}.nats.websocketCompression`, type: 'bool', default: true },
];

/** The NATS keys with Go Pitaya's defaults (spec §8). */
export const NATS_CONFIG_KEYS: readonly ConfigKey[] = [
  ...connectionKeys('client'),
  { key: 'cluster.rpc.client.nats.requestTimeout', type: 'duration', default: 5000, min: 1 },
  ...connectionKeys('server'),
  { key: 'cluster.rpc.server.nats.services', type: 'int', default: 30, min: 1 },
  { key: 'cluster.rpc.server.nats.buffer.messages', type: 'int', default: 75, min: 1 },
  { key: 'cluster.rpc.server.nats.buffer.push', type: 'int', default: 100, min: 1 },
];
