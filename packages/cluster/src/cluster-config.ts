import type { Duration } from '@pitaya-ts/core';
import type { ConfigKey } from '@pitaya-ts/core/internal';
import { NATS_CONFIG_KEYS, type NatsClientConfig, type NatsServerConfig } from './nats/nats-config';
import { DEFAULT_CALLS_PER_TURN } from './rpc/grpc-call-pacing';
import type { RpcTransportKind } from './rpc/rpc-transport';

/**
 * Resolved cluster configuration: Go Pitaya's keys under `pitaya.cluster.*`, `pitaya.groups.etcd.*`
 * and `pitaya.modules.bindingstorage.etcd.*`, each overridable by its `PITAYA_*` variable
 * (`PITAYA_CLUSTER_SD_ETCD_ENDPOINTS=10.0.0.5:2379`). Durations in milliseconds.
 */
export interface ClusterConfig {
  readonly cluster: {
    readonly info: { readonly region: string };
    readonly sd: {
      readonly etcd: {
        readonly endpoints: readonly string[];
        readonly prefix: string;
        readonly dialTimeout: number;
        readonly user: string;
        readonly pass: string;
        readonly heartbeat: { readonly ttl: number };
        readonly syncServers: { readonly interval: number };
        readonly revoke: { readonly timeout: number };
        readonly shutdown: { readonly delay: number };
        readonly serverTypesBlacklist: readonly string[];
      };
    };
    readonly rpc: {
      /** `grpc` (default) or `nats`, Pitaya's two RPC transports; etcd stays the discovery for both. */
      readonly transport: RpcTransportKind;
      readonly client: {
        readonly grpc: {
          readonly requestTimeout: number;
          readonly dialTimeout: number;
          readonly lazyConnection: boolean;
          /** TLS to the other servers: on when `ca` is set (see {@link GrpcClientTlsConfig}). */
          readonly tls: GrpcClientTlsConfig;
        };
        readonly nats: NatsClientConfig;
      };
      readonly server: {
        readonly grpc: {
          /** Port of the gRPC server; 0 picks a free one (advertised automatically). */
          readonly port: number;
          /** Address the gRPC server binds; empty (default) = the advertised `host`, not every interface. */
          readonly listenHost: string;
          /** Host other servers dial, advertised as `grpcHost`; empty = this machine's first non-internal IPv4. */
          readonly host: string;
          /** TLS of the gRPC server: on when `cert` and `key` are set (see {@link GrpcServerTlsConfig}). */
          readonly tls: GrpcServerTlsConfig;
          /**
           * Calls started per turn of the event loop (default 64); more wait, in order, for the next
           * turns, so the first answers leave while the rest run. 0 starts every call at once.
           */
          readonly callsPerTurn: number;
        };
        readonly nats: NatsServerConfig;
      };
    };
  };
  readonly groups: { readonly etcd: { readonly endpoints: readonly string[]; readonly prefix: string; readonly dialTimeout: number; readonly transactionTimeout: number } };
  readonly modules: { readonly bindingStorage: { readonly etcd: { readonly endpoints: readonly string[]; readonly prefix: string; readonly dialTimeout: number; readonly leaseTtl: number } } };
}

/**
 * TLS of the gRPC server. Each value is a PEM file path or the PEM text itself (so it can come from
 * an environment variable). With `ca` set, clients must present a certificate signed by it (mTLS)
 * unless `requireClientCert` is false.
 */
export interface GrpcServerTlsConfig {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly requireClientCert: boolean;
}

/**
 * TLS of the gRPC client: `ca` verifies the servers; `cert`/`key` are this server's client
 * certificate for mTLS; `serverName` overrides the name checked in the servers' certificates
 * (when they are dialled by IP, for example). PEM paths or PEM text.
 */
export interface GrpcClientTlsConfig {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly serverName: string;
}

/** Cluster configuration as written in code. */
export type ClusterConfigInput = DeepInput<ClusterConfig>;
type DeepInput<T> = {
  readonly [K in keyof T]?: T[K] extends number ? number | Duration : T[K] extends readonly string[] ? readonly string[] | string : T[K] extends object ? DeepInput<T[K]> : T[K];
};

const ENDPOINTS = ['localhost:2379'];

/** The keys with Go Pitaya's defaults (spec §8). */
export const CLUSTER_CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'cluster.info.region', type: 'string', default: '' },
  { key: 'cluster.sd.etcd.endpoints', type: 'list', default: ENDPOINTS },
  { key: 'cluster.sd.etcd.prefix', type: 'string', default: 'pitaya/' },
  { key: 'cluster.sd.etcd.dialTimeout', type: 'duration', default: 5000 },
  { key: 'cluster.sd.etcd.user', type: 'string', default: '' },
  { key: 'cluster.sd.etcd.pass', type: 'string', default: '' },
  { key: 'cluster.sd.etcd.heartbeat.ttl', type: 'duration', default: 60_000, min: 1000 },
  { key: 'cluster.sd.etcd.syncServers.interval', type: 'duration', default: 120_000, min: 100 },
  { key: 'cluster.sd.etcd.revoke.timeout', type: 'duration', default: 5000 },
  { key: 'cluster.sd.etcd.shutdown.delay', type: 'duration', default: 300 },
  { key: 'cluster.sd.etcd.serverTypesBlacklist', type: 'list', default: [] },
  { key: 'cluster.rpc.transport', type: 'string', default: 'grpc', oneOf: ['grpc', 'nats'] },
  ...NATS_CONFIG_KEYS,
  { key: 'cluster.rpc.client.grpc.requestTimeout', type: 'duration', default: 5000, min: 1 },
  { key: 'cluster.rpc.client.grpc.dialTimeout', type: 'duration', default: 5000 },
  { key: 'cluster.rpc.client.grpc.lazyConnection', type: 'bool', default: false },
  { key: 'cluster.rpc.client.grpc.tls.ca', type: 'string', default: '' },
  { key: 'cluster.rpc.client.grpc.tls.cert', type: 'string', default: '' },
  { key: 'cluster.rpc.client.grpc.tls.key', type: 'string', default: '' },
  { key: 'cluster.rpc.client.grpc.tls.serverName', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.port', type: 'int', default: 3434, min: 0, max: 65535 },
  { key: 'cluster.rpc.server.grpc.listenHost', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.host', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.tls.cert', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.tls.key', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.tls.ca', type: 'string', default: '' },
  { key: 'cluster.rpc.server.grpc.tls.requireClientCert', type: 'bool', default: true },
  { key: 'cluster.rpc.server.grpc.callsPerTurn', type: 'int', default: DEFAULT_CALLS_PER_TURN, min: 0 },
  { key: 'groups.etcd.endpoints', type: 'list', default: ENDPOINTS },
  { key: 'groups.etcd.prefix', type: 'string', default: 'pitaya/' },
  { key: 'groups.etcd.dialTimeout', type: 'duration', default: 5000 },
  { key: 'groups.etcd.transactionTimeout', type: 'duration', default: 5000 },
  { key: 'modules.bindingStorage.etcd.endpoints', type: 'list', default: ENDPOINTS },
  { key: 'modules.bindingStorage.etcd.prefix', type: 'string', default: 'pitaya/' },
  { key: 'modules.bindingStorage.etcd.dialTimeout', type: 'duration', default: 5000 },
  { key: 'modules.bindingStorage.etcd.leaseTtl', type: 'duration', default: 5 * 3_600_000, min: 1000 },
];
