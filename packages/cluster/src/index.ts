/**
 * `@pitaya-ts/cluster`: what a pitaya-ts server needs to join a Pitaya (Go) cluster — the `protos`
 * messages and gRPC service, the server descriptor, etcd service discovery, binding storage and groups.
 */
export * from './protos/proto-types';
export {
  PITAYA_PROTO_DIR_ENV,
  PITAYA_PROTO_FILES,
  findProtoDir,
  resolveProtoDir,
  loadPitayaRoot,
  type ProtoLocationOptions,
} from './protos/proto-files';
export { createProtoCodec, type ProtoCodec } from './protos/proto-codec';
export * from './protos/pitaya-codecs';
export {
  PITAYA_SERVICE_NAME,
  PROTO_LOADER_OPTIONS,
  loadPitayaServiceDefinition,
  type PitayaMethodDefinition,
  type PitayaServiceDefinition,
} from './protos/pitaya-service';
export {
  encodeServerInfo,
  parseServerInfo,
  validateServerId,
  validateServerType,
  newServerId,
  type ServerInfo,
} from './server-info';
export {
  createEtcdClient,
  normalizeEndpoints,
  DEFAULT_ETCD_ENDPOINTS,
  DEFAULT_ETCD_DIAL_TIMEOUT_MS,
  type EtcdConnectionOptions,
} from './etcd/etcd-client';
export { DEFAULT_ETCD_PREFIX, EtcdKeys, parseServerKey } from './etcd/etcd-keys';
export {
  SERVICE_DISCOVERY,
  type ServiceDiscovery,
  type ServiceDiscoveryListener,
} from './discovery/service-discovery';
export { StaticServiceDiscovery } from './discovery/static-service-discovery';
export {
  EtcdServiceDiscovery,
  type EtcdServiceDiscoveryDeps,
  type EtcdServiceDiscoveryOptions,
  type HealthListener,
} from './discovery/etcd-service-discovery';
export {
  EtcdBindingStorage,
  BINDING_NOT_FOUND_MESSAGE,
  type EtcdBindingStorageDeps,
  type EtcdBindingStorageOptions,
} from './modules/binding-storage';
export { EtcdGroups, GroupErrorMessage, type EtcdGroupsDeps, type EtcdGroupsOptions } from './groups/etcd-groups';

// Cluster mode, wired through the container.
export { ClusterModule } from './cluster.module';
export { resolveClusterConfig, type ClusterModuleOptions } from './cluster-options';
export { CLUSTER_CONFIG_KEYS, type ClusterConfig, type ClusterConfigInput } from './cluster-config';
export { CLUSTER_CONFIG, CLUSTER_OPTIONS, ETCD_CLIENT, ROUTING_STRATEGIES } from './cluster-tokens';
export { ClusterBootstrap } from './cluster-bootstrap';
export { ServiceDiscoveryModule } from './discovery/service-discovery.module';
export { ClusterUserMessenger } from './messaging/cluster-user-messenger';
export { BINDING_STORAGE, BindingStorageModule } from './modules/binding-storage.module';
export { UniqueSessionModule } from './modules/unique-session.module';
export { SysRemote } from './remote/sys-remote';
export { SysRoute } from './remote/sys-routes';
export { Router, randomServer, type RoutingContext, type RoutingStrategy } from './router/router';
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
