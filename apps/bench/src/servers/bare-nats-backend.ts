import { startBareNatsEcho } from './bare-nats';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Entry of the bare NATS forwarding baseline's backend: a raw nats.js echo at `BENCH_NATS_URL`. */
async function main(): Promise<void> {
  const env = readServerEnv();
  if (!env.natsUrl) throw new Error('BENCH_NATS_URL is not set');
  const echo = await startBareNatsEcho(env.natsUrl);
  exitOnSignal(() => echo.close());
  writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: 0 });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
