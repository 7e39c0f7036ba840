import { startBareGrpcEcho } from './bare-grpc';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Entry of the bare forwarding baseline's backend: a raw grpc-js echo on `BENCH_GRPC_PORT`. */
async function main(): Promise<void> {
  const env = readServerEnv();
  const server = await startBareGrpcEcho(env.host, Number(process.env.BENCH_GRPC_PORT ?? 0));
  exitOnSignal(async () => server.close());
  writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: server.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
