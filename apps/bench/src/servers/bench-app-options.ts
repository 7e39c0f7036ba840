import { ClusterModule } from '@pitaya-ts/cluster';
import { createLogger, tcp, ws, type DynamicModule, type PitayaOptions } from '@pitaya-ts/core';
import type { ServerEnv } from './server-env';

/**
 * What every pitaya-ts bench server shares: logs at error, no `PITAYA_*` overrides from the
 * orchestrator's environment, and for frontends a ws + tcp acceptor pair, a 60 s heartbeat and
 * compression as `BENCH_COMPRESSION` says.
 */
export function benchAppOptions(env: ServerEnv, serverType: string, frontend = true): PitayaOptions {
  return {
    serverType,
    frontend,
    acceptors: frontend ? [ws({ port: env.wsPort, host: env.host }), tcp({ port: env.tcpPort, host: env.host })] : [],
    config: { heartbeat: { interval: '60s' }, handler: { messages: { compression: env.compression } } },
    logger: createLogger({ level: 'error' }),
    env: {},
  };
}

/**
 * Scenario D's cluster module: the orchestrator's etcd, gRPC on a free loopback port (or NATS at
 * `BENCH_NATS_URL`), no binding storage. The NATS server's queue is raised from Pitaya's 75 so the
 * 1000-client row measures throughput, not slow-consumer drops (gRPC has no such cap).
 */
export function benchClusterModule(env: ServerEnv): DynamicModule {
  if (!env.etcdUrl) throw new Error('BENCH_ETCD_URL is not set: cluster bench servers need the etcd the orchestrator started');
  return ClusterModule.forRoot({
    etcd: { endpoints: new URL(env.etcdUrl).host, prefix: 'bench/' },
    bindingStorage: false,
    config: {
      cluster: {
        rpc: env.natsUrl
          ? { transport: 'nats', client: { nats: { connect: env.natsUrl } }, server: { nats: { connect: env.natsUrl, buffer: { messages: 4096 } } } }
          : { server: { grpc: { port: 0, host: env.host } } },
      },
    },
    env: {},
  });
}
