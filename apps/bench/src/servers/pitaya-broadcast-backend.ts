import { Module, Pitaya } from '@pitaya-ts/core';
import { benchAppOptions } from './bench-app-options';
import { BroadcastBackendHandler, broadcastClusterModule } from './cluster-broadcast-app';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the cluster-broadcast backend: server type `backend`, no acceptors, the `bench` handler
 * of {@link BroadcastBackendHandler}; ready once registered in etcd.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  @Module({ imports: [broadcastClusterModule(env)], handlers: [BroadcastBackendHandler] })
  class BroadcastBackendModule {}

  const app = await Pitaya.create(BroadcastBackendModule, benchAppOptions(env, 'backend', false));
  await app.start();
  exitOnSignal(() => app.close());
  writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: 0 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
