import { Module, Pitaya } from '@pitaya-ts/core';
import { ObservabilityModule } from '@pitaya-ts/observability';
import { benchAppOptions } from './bench-app-options';
import { BenchModule } from './bench-module';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the pitaya-ts standalone target: the bench app behind a WebSocket and a TCP acceptor,
 * Pitaya's default compression (from 256 B) unless `BENCH_COMPRESSION=0`, a 60 s heartbeat, logs at error.
 * `BENCH_OBSERVABILITY=prometheus` adds the Prometheus reporter (metrics port 0), `=tracing` adds
 * OpenTelemetry tracing (the orchestrator points `OTEL_*` at a sink that discards spans).
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  const observability = process.env.BENCH_OBSERVABILITY;
  let root: typeof BenchModule = BenchModule;
  if (observability === 'prometheus' || observability === 'tracing') {
    @Module({
      imports: [BenchModule, ObservabilityModule.forRoot({
        config: { metrics: { prometheus: { enabled: observability === 'prometheus', port: 0, host: env.host } } },
        tracing: observability === 'tracing',
        env: {},
      })],
    })
    class ObservedBenchModule {}
    root = ObservedBenchModule;
  }
  const app = await Pitaya.create(root, benchAppOptions(env, 'connector'));
  await app.start();
  exitOnSignal(() => app.close());
  const [wsAddress, tcpAddress] = app.listening;
  writeReady(env.readyFile, { pid: process.pid, ws: wsAddress!.port, tcp: tcpAddress!.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
