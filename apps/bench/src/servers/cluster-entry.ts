import { SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { Module, Pitaya, type DynamicModule } from '@pitaya-ts/core';
import { benchAppOptions } from './bench-app-options';
import { exitOnSignal, readServerEnv, writeReady, type ServerEnv } from './server-env';

/** What a cluster bench server script varies: its cluster module, type and handlers. */
export interface ClusterEntry {
  readonly cluster: (env: ServerEnv) => DynamicModule;
  readonly serverType: string;
  /** Handler classes of a backend; a frontend has none (every `backend.*` route is forwarded). */
  readonly handlers?: readonly (new (...args: never[]) => object)[];
}

/**
 * Runs a cluster bench server (scenario D and B-cluster share it). A backend (handlers, no
 * acceptors) is ready once `start()` has registered it; a frontend (ws + tcp acceptors, no
 * handlers) once it has discovered a `backend` server, within 20 s.
 */
export function runClusterEntry(entry: ClusterEntry): void {
  main(entry).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

async function main(entry: ClusterEntry): Promise<void> {
  const env = readServerEnv();
  const frontend = entry.handlers === undefined;
  @Module({ imports: [entry.cluster(env)], handlers: [...(entry.handlers ?? [])] })
  class ClusterBenchModule {}

  const app = await Pitaya.create(ClusterBenchModule, benchAppOptions(env, entry.serverType, frontend));
  await app.start();
  exitOnSignal(() => app.close());
  if (!frontend) {
    writeReady(env.readyFile, { pid: process.pid, ws: 0, tcp: 0 });
    return;
  }
  const discovery = app.get<ServiceDiscovery>(SERVICE_DISCOVERY);
  const deadline = Date.now() + 20_000;
  while (discovery.getServersByType('backend').length === 0) {
    if (Date.now() > deadline) throw new Error('the frontend did not discover a `backend` server within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const [wsAddress, tcpAddress] = app.listening;
  writeReady(env.readyFile, { pid: process.pid, ws: wsAddress!.port, tcp: tcpAddress!.port });
}
