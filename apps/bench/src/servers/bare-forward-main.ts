import { BareServer } from './bare-server';
import { FORWARDED_ROUTES } from './bench-routes';
import { bareGrpcForwarder } from './bare-grpc';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/**
 * Entry of the bare forwarding baseline's frontend: {@link BareServer} whose echo bodies make a
 * round trip through grpc-js to `BENCH_GRPC_ADDRESS` — the ceiling of scenario D with the gRPC
 * transport Pitaya prescribes.
 */
async function main(): Promise<void> {
  const env = readServerEnv();
  const address = process.env.BENCH_GRPC_ADDRESS;
  if (!address) throw new Error('BENCH_GRPC_ADDRESS is not set');
  const grpc = bareGrpcForwarder(address);
  const server = new BareServer({ host: env.host, wsPort: env.wsPort, tcpPort: env.tcpPort, routes: FORWARDED_ROUTES, forward: grpc.forward });
  const ports = await server.start();
  exitOnSignal(async () => {
    grpc.close();
    await server.close();
  });
  writeReady(env.readyFile, { pid: process.pid, ...ports });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
