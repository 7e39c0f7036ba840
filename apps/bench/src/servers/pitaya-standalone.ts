import { createLogger, Pitaya, tcp, ws } from '@pitaya-ts/core';
import { BenchModule } from './bench-module';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the pitaya-ts standalone target: the bench app behind a WebSocket and a TCP acceptor,
 * compression off unless `BENCH_COMPRESSION=1`, a 60 s heartbeat, logs at error.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  const app = await Pitaya.create(BenchModule, {
    serverType: 'connector',
    acceptors: [ws({ port: env.wsPort, host: env.host }), tcp({ port: env.tcpPort, host: env.host })],
    config: { heartbeat: { interval: '60s' }, handler: { messages: { compression: env.compression } } },
    logger: createLogger({ level: 'error' }),
    env: {},
  });
  await app.start();
  exitOnSignal(() => app.close());
  const [wsAddress, tcpAddress] = app.listening;
  writeReady(env.readyFile, { pid: process.pid, ws: wsAddress!.port, tcp: tcpAddress!.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
