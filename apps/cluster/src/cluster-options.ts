import { ClusterModule } from '@pitaya-ts/cluster';
import type { DynamicModule } from '@pitaya-ts/core';
import { ObservabilityModule } from '@pitaya-ts/observability';

/**
 * The cluster settings both servers share. etcd endpoints come from `PITAYA_CLUSTER_SD_ETCD_ENDPOINTS`
 * (default localhost:2379); groups live in etcd so any number of room backends share the room. The RPC
 * transport is gRPC unless `PITAYA_CLUSTER_RPC_TRANSPORT=nats` (what `npm run cluster -- --rpc nats` sets).
 */
export function clusterModule(): DynamicModule {
  return ClusterModule.forRoot({ groups: 'etcd', config: { cluster: { rpc: { server: { grpc: { port: 0 } } } } } });
}

/**
 * Metrics, health probes and tracing, all off unless the environment turns them on:
 * `PITAYA_METRICS_PROMETHEUS_ENABLED=true` + `PITAYA_METRICS_PROMETHEUS_PORT` (what `npm run cluster`
 * sets for each server), and tracing when `OTEL_EXPORTER_OTLP_ENDPOINT` names a collector.
 */
export function observabilityModule(): DynamicModule {
  return ObservabilityModule.forRoot({ tracing: Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) });
}
