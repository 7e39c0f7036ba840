import { ClusterModule, SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { createLogger, Module, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Scenario D's frontend has no handlers of its own: every `backend.*` route is forwarded over gRPC. */
async function main(): Promise<void> {
  const env = readServerEnv();
  if (!env.etcdUrl) throw new Error('BENCH_ETCD_URL is not set: the frontend needs the etcd the orchestrator started');
  @Module({
    imports: [ClusterModule.forRoot({
      etcd: { endpoints: new URL(env.etcdUrl).host, prefix: 'bench/' },
      bindingStorage: false,
      config: { cluster: { rpc: { server: { grpc: { port: 0, host: env.host } } } } },
      env: {},
    })],
  })
  class FrontendModule {}

  const app = await Pitaya.create(FrontendModule, {
    serverType: 'connector',
    acceptors: [ws({ port: env.wsPort, host: env.host }), tcp({ port: env.tcpPort, host: env.host })],
    config: { heartbeat: { interval: '60s' }, handler: { messages: { compression: env.compression } } },
    logger: createLogger({ level: 'error' }),
    env: {},
  });
  await app.start();
  exitOnSignal(() => app.close());
  const discovery = app.get<ServiceDiscovery>(SERVICE_DISCOVERY);
  const deadline = Date.now() + 20_000;
  while (discovery.getServersByType('backend').length === 0) {
    if (Date.now() > deadline) throw new Error('the frontend did not discover a `backend` server within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const [wsAddress, tcpAddress] = app.listening;
  writeReady(env.readyFile, { pid: process.pid, ws: wsAddress!.port, tcp: tcpAddress!.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
