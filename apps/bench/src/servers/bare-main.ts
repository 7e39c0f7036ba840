import { BareServer } from './bare-server';
import { PITAYA_ROUTES } from './bench-routes';
import { exitOnSignal, readServerEnv, writeReady } from './server-env';

/** Entry of the bare target: {@link BareServer} on the ports the orchestrator chose. */
async function main(): Promise<void> {
  const env = readServerEnv();
  const server = new BareServer({ host: env.host, wsPort: env.wsPort, tcpPort: env.tcpPort, routes: PITAYA_ROUTES });
  const ports = await server.start();
  exitOnSignal(() => server.close());
  writeReady(env.readyFile, { pid: process.pid, ...ports });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
