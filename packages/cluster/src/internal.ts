/**
 * `@pitaya-ts/cluster/internal`: the public API plus the cluster's wiring (gRPC server and client,
 * remote dispatcher and forwarder, sys remotes, backend sessions, RPC metadata and errors) for
 * pitaya-ts's own packages and tests. Not for applications: it may change in any release.
 */
export * from './index';
export {
  createEtcdClient,
  normalizeEndpoints,
  DEFAULT_ETCD_ENDPOINTS,
  DEFAULT_ETCD_DIAL_TIMEOUT_MS,
  type EtcdConnectionOptions,
} from './etcd/etcd-client';
export { DEFAULT_ETCD_PREFIX, EtcdKeys, parseServerKey } from './etcd/etcd-keys';
export {
  EtcdBindingStorage,
  BINDING_NOT_FOUND_MESSAGE,
  type EtcdBindingStorageDeps,
  type EtcdBindingStorageOptions,
} from './modules/binding-storage';
export { resolveClusterConfig } from './cluster-options';
export { CLUSTER_CONFIG_KEYS } from './cluster-config';
export { CLUSTER_OPTIONS, ETCD_CLIENT, ROUTING_STRATEGIES } from './cluster-tokens';
export { ClusterBootstrap } from './cluster-bootstrap';
export { ServiceDiscoveryModule } from './discovery/service-discovery.module';
export { ClusterUserMessenger } from './messaging/cluster-user-messenger';
export { BindingStorageModule } from './modules/binding-storage.module';
export { UniqueSessionModule } from './modules/unique-session.module';
export { SysRemote } from './remote/sys-remote';
export { SysRoute } from './remote/sys-routes';
export { Router } from './router/router';
export { ServerHealth } from './router/server-health';
export { ClusterRpcClient } from './rpc/cluster-rpc-client';
export { GrpcRpcClient } from './rpc/grpc-rpc-client';
export { GrpcRpcServer } from './rpc/grpc-rpc-server';
export { RpcTransportClient, RpcTransportServer, type RpcTransportKind } from './rpc/rpc-transport';
export { NatsRpcClient } from './nats/nats-rpc-client';
export { NatsRpcServer } from './nats/nats-rpc-server';
export { NatsSubject } from './nats/nats-subjects';
export { NATS_CONFIG_KEYS, type NatsClientConfig, type NatsConnectionConfig, type NatsServerConfig } from './nats/nats-config';
export { GrpcMetadataKey, grpcAddressOf, defaultAdvertisedHost } from './rpc/grpc-address';
export { RemoteDispatcher } from './rpc/remote-dispatcher';
export { RemoteForwarder } from './rpc/remote-forwarder';
export { RemoteService, type RemoteBindingListener } from './rpc/remote-service';
export { fromGrpcError, fromProtoError, toProtoError, ServerUnreachableError } from './rpc/rpc-errors';
export { decodeRequestMetadata, encodeRequestMetadata, MetadataKey, newRequestId, OTEL_SPAN_KEY } from './rpc/rpc-metadata';
export { startRpcClientSpan, withSpanCarrier } from './rpc/rpc-tracing';
export { SysCaller } from './rpc/sys-caller';
export { BackendSession, BackendSessionServices } from './session/backend-session';
export { createStaticCodecs, type StaticCodecs } from './protos/static-codecs';
