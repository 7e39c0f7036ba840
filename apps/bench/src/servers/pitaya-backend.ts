import { Context, Handler, Module, Pitaya, Route } from '@pitaya-ts/core';
import { benchAppOptions, benchClusterModule } from './bench-app-options';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Scenario D's backend handler: `backend.bench.echo` answers with its body. */
@Handler('bench')
class BackendBenchHandler {
  @Route()
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
  @Module({ imports: [benchClusterModule(env)], handlers: [BackendBenchHandler] })
  class BackendModule {}

  const app = await Pitaya.create(BackendModule, benchAppOptions(env, 'backend', false));
  await app.start();
  exitOnSignal(() => app.close());
  writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: 0 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
