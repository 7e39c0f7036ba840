/** The resolved {@link ClusterConfig}. */
export const CLUSTER_CONFIG = Symbol.for('pitaya-ts:ClusterConfig');
/** The {@link ClusterModuleOptions} given to `ClusterModule.forRoot`. */
export const CLUSTER_OPTIONS = Symbol.for('pitaya-ts:ClusterOptions');
/** The etcd client shared by discovery, binding storage and etcd groups when their endpoints agree. */
export const ETCD_CLIENT = Symbol.for('pitaya-ts:EtcdClient');
/** User routing strategies ({@link RoutingStrategy}), one per server type. */
export const ROUTING_STRATEGIES = Symbol.for('pitaya-ts:RoutingStrategies');
/** The {@link FrontendSweeper} of a frontend (null on backends or without etcd binding storage). */
export const FRONTEND_SWEEPER = Symbol.for('pitaya-ts:FrontendSweeper');
