import { ClusterModule } from '@pitaya-ts/cluster';
import type { DynamicModule } from '@pitaya-ts/core';

/**
 * The cluster settings both servers share. etcd endpoints come from `PITAYA_CLUSTER_SD_ETCD_ENDPOINTS`
 * (default localhost:2379); groups live in etcd so any number of room backends share the room. The RPC
 * transport is gRPC unless `PITAYA_CLUSTER_RPC_TRANSPORT=nats` (what `npm run cluster -- --rpc nats` sets).
 */
export function clusterModule(): DynamicModule {
  return ClusterModule.forRoot({ groups: 'etcd', config: { cluster: { rpc: { server: { grpc: { port: 0 } } } } } });
}
