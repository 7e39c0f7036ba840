import { ClusterModule } from '@pitaya-ts/cluster';
import { Context, createLogger, Handler, Module, Pitaya } from '@pitaya-ts/core';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Scenario D's backend handler: `backend.bench.echo` answers with its body. */
@Handler('bench')
class BackendBenchHandler {
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}

/**
 * Entry of scenario D's backend: server type `backend`, no acceptors, registered in the etcd at
 * `BENCH_ETCD_URL`, gRPC on a free loopback port; ready once `start()` has registered it.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  if (!env.etcdUrl) throw new Error('BENCH_ETCD_URL is not set: the backend needs the etcd the orchestrator started');
  @Module({
    imports: [ClusterModule.forRoot({
      etcd: { endpoints: new URL(env.etcdUrl).host, prefix: 'bench/' },
      bindingStorage: false,
      config: { cluster: { rpc: { server: { grpc: { port: 0, host: env.host } } } } },
      env: {},
    })],
    handlers: [BackendBenchHandler],
  })
  class BackendModule {}

  const app = await Pitaya.create(BackendModule, {
    serverType: 'backend',
    frontend: false,
    logger: createLogger({ level: 'error' }),
    env: {},
  });
  await app.start();
  exitOnSignal(() => app.close());
  writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: 0 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
