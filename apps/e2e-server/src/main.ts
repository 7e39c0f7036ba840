import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Module, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { ClusterModule } from '@pitaya-ts/cluster';
import { ObservabilityModule } from '@pitaya-ts/observability';
import { WorkerModule } from '@pitaya-ts/worker';
import { E2eRpcJob, ReliableSvc, ReliableTarget } from './reliable';
import { TestRemoteSvc } from './testremotesvc.remote';
import { TestSvc } from './testsvc.handler';
import { UidRouter } from './uid-router';

/**
 * Pitaya's e2e server (examples/testing): `--type`, `--frontend`, `--port` (TCP; plus `--wsport`),
 * `--sdprefix`, `--etcd`, `--grpcport`, `--serializer`, plus `--id`, `--groups memory|etcd` and
 * `--router uid` (a custom routing strategy for `game`), `--observability true` (tracing by `OTEL_*`, metrics by `PITAYA_METRICS_*`);
 * reliable RPC: `--redis host:port` (enqueue through `reliablesvc.enqueue`), `--worker true` (also
 * run a worker), `--workerid`, `--reliablelog <dir>` (serve the `reliable.record` remote). Port 0 picks free ports; the "all modules
 * started!" log line lists them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      type: { type: 'string', default: 'connector' },
      frontend: { type: 'string', default: 'true' },
      port: { type: 'string', default: '0' },
      wsport: { type: 'string', default: '0' },
      sdprefix: { type: 'string', default: 'pitaya/' },
      etcd: { type: 'string', default: 'localhost:2379' },
      grpcport: { type: 'string', default: '0' },
      serializer: { type: 'string', default: 'json' },
      groups: { type: 'string', default: 'memory' },
      id: { type: 'string' },
      router: { type: 'string', default: 'random' },
      // OpenTelemetry tracing (configured by OTEL_*) and metrics (by PITAYA_METRICS_*).
      observability: { type: 'string', default: 'false' },
      redis: { type: 'string' },
      worker: { type: 'string', default: 'false' },
      workerid: { type: 'string' },
      reliablelog: { type: 'string' },
    },
  });
  const frontend = values.frontend !== 'false';
  if (values.reliablelog !== undefined) ReliableTarget.dir = values.reliablelog;
  const reliable = values.redis !== undefined
    ? [WorkerModule.forRoot({ worker: values.worker === 'true', rpcJob: E2eRpcJob, config: { worker: { redis: { serverUrl: values.redis }, processId: values.workerid } } })]
    : [];
  @Module({
    imports: [ClusterModule.forRoot({
      etcd: { endpoints: values.etcd, prefix: values.sdprefix },
      groups: values.groups === 'etcd' ? 'etcd' : 'memory',
      routers: values.router === 'uid' ? [UidRouter] : [],
      config: { cluster: { rpc: { server: { grpc: { port: Number(values.grpcport), host: '127.0.0.1' } } } } },
    }), ...(values.observability === 'true' ? [ObservabilityModule.forRoot({ tracing: true })] : []), ...reliable],
    handlers: [TestSvc, ...(values.redis !== undefined ? [ReliableSvc] : [])],
    remotes: [TestRemoteSvc, ...(values.reliablelog !== undefined ? [ReliableTarget] : [])],
  })
  class TestingModule {}

  const app = await Pitaya.create(TestingModule, {
    serverType: values.type!,
    serverId: values.id,
    frontend,
    acceptors: frontend
      ? [tcp({ port: Number(values.port), host: '127.0.0.1' }), ws({ port: Number(values.wsport), host: '127.0.0.1' })]
      : [],
    serializer: values.serializer === 'protobuf' ? 'protobuf' : 'json',
    protobuf: { files: [path.join(__dirname, '../proto/test.proto')] },
  });
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
