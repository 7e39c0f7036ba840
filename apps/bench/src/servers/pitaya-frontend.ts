import { SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { Module, Pitaya } from '@pitaya-ts/core';
import { benchAppOptions, benchClusterModule } from './bench-app-options';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of scenario D's frontend (type `connector`): no handlers of its own, so every `backend.*`
 * route is forwarded over gRPC. Ready once it has discovered the backend.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  @Module({ imports: [benchClusterModule(env)] })
  class FrontendModule {}

  const app = await Pitaya.create(FrontendModule, benchAppOptions(env, 'connector'));
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
