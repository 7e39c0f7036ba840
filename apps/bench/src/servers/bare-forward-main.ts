import { BareServer } from './bare-server';
import { FORWARDED_ROUTES } from './bench-routes';
import { bareGrpcForwarder } from './bare-grpc';
import { bareNatsForwarder } from './bare-nats';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the bare forwarding baseline's frontend: {@link BareServer} whose echo bodies make a
 * round trip through grpc-js to `BENCH_GRPC_ADDRESS` — the ceiling of scenario D with the gRPC
 * transport — or, with `BENCH_NATS_URL`, one raw NATS request/reply (the NATS transport's ceiling).
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  const address = process.env.BENCH_GRPC_ADDRESS;
  if (!address && !env.natsUrl) throw new Error('neither BENCH_GRPC_ADDRESS nor BENCH_NATS_URL is set');
  const forwarder = env.natsUrl ? await bareNatsForwarder(env.natsUrl) : bareGrpcForwarder(address!);
  const server = new BareServer({ host: env.host, wsPort: env.wsPort, tcpPort: env.tcpPort, routes: FORWARDED_ROUTES, forward: forwarder.forward });
  const ports = await server.start();
  exitOnSignal(async () => {
    await forwarder.close();
    await server.close();
  });
  writeReady(env.readyFile, { pid: process.pid, ...ports });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
