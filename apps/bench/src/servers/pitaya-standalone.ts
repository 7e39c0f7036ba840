import { Pitaya } from '@pitaya-ts/core';
import { benchAppOptions } from './bench-app-options';
import { BenchModule } from './bench-module';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the pitaya-ts standalone target: the bench app behind a WebSocket and a TCP acceptor,
 * compression off unless `BENCH_COMPRESSION=1`, a 60 s heartbeat, logs at error.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  const app = await Pitaya.create(BenchModule, benchAppOptions(env, 'connector'));
  await app.start();
  exitOnSignal(() => app.close());
  const [wsAddress, tcpAddress] = app.listening;
  writeReady(env.readyFile, { pid: process.pid, ws: wsAddress!.port, tcp: tcpAddress!.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
