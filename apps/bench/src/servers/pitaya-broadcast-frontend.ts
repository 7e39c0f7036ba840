import { SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { Module, Pitaya } from '@pitaya-ts/core';
import { benchAppOptions } from './bench-app-options';
import { BROADCAST_FRONTEND_TYPE, broadcastClusterModule } from './cluster-broadcast-app';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of a cluster-broadcast frontend (two run side by side): no handlers, `backend.*` forwarded
 * over gRPC, binding storage on. Ready once it has
 * discovered the backend (the target then waits until the backend sees both frontends).
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  @Module({ imports: [broadcastClusterModule(env)] })
  class BroadcastFrontendModule {}

  const app = await Pitaya.create(BroadcastFrontendModule, benchAppOptions(env, BROADCAST_FRONTEND_TYPE));
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
