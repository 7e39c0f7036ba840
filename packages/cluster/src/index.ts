/**
 * `@pitaya-ts/cluster`: what a pitaya-ts server needs to join a Pitaya (Go) cluster — the `protos`
 * messages and gRPC service, the server descriptor, etcd service discovery, binding storage and groups.
 */
export * from './protos/proto-types';
export { PITAYA_PROTO_DIR_ENV, PITAYA_PROTO_FILES, findProtoDir, resolveProtoDir, loadPitayaRoot, type ProtoLocationOptions } from './protos/proto-files';
export { createProtoCodec, type ProtoCodec } from './protos/proto-codec';
export * from './protos/pitaya-codecs';
export { PITAYA_SERVICE_NAME, PROTO_LOADER_OPTIONS, loadPitayaServiceDefinition, type PitayaMethodDefinition, type PitayaServiceDefinition } from './protos/pitaya-service';
export { encodeServerInfo, parseServerInfo, validateServerId, validateServerType, newServerId, type ServerInfo } from './server-info';
export { SERVICE_DISCOVERY, type ServiceDiscovery, type ServiceDiscoveryListener } from './discovery/service-discovery';
export { StaticServiceDiscovery } from './discovery/static-service-discovery';
export { EtcdServiceDiscovery, type EtcdServiceDiscoveryDeps, type EtcdServiceDiscoveryOptions, type HealthListener } from './discovery/etcd-service-discovery';
export { EtcdGroups, GroupErrorMessage, type EtcdGroupsDeps, type EtcdGroupsOptions } from './groups/etcd-groups';
export { ClusterModule } from './cluster.module';
export { type ClusterModuleOptions } from './cluster-options';
export { type ClusterConfig, type ClusterConfigInput } from './cluster-config';
export { CLUSTER_CONFIG } from './cluster-tokens';
export { BINDING_STORAGE } from './modules/binding-storage.module';
export { randomServer, type RoutingContext, type RoutingStrategy } from './router/router';
