import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORWARDED_ROUTES } from '../servers/bench-routes';
import { GENERATOR_CPU, SERVER_CPU } from '../orchestrator/cpu-pinning';
import { freePort, startEtcd, startNats } from '@pitaya-ts/testing';
import { hasEtcd, hasNatsServer } from './etcd';
import { startScript, type ScriptStart } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

/** The two scripts scenario D needs; written by the cluster work, not by the bench. */
export const CLUSTER_SCRIPTS = { frontend: 'pitaya-frontend.js', backend: 'pitaya-backend.js' } as const;

/**
 * Scenario D: pitaya-ts frontend → backend over gRPC, with etcd discovery. Contract of the two
 * scripts in `dist/servers/` (same as every bench server, see `servers/server-env.ts`):
 * - both read `BENCH_ETCD_URL` (a fresh etcd), `BENCH_HOST`, `BENCH_READY_FILE`;
 * - `pitaya-backend.js` serves server type `backend` with a handler `bench` whose `echo(ctx, body)`
 *   returns the body (route {@link FORWARDED_ROUTES}`.echo` = `backend.bench.echo`), and writes its
 *   ready file (`ws`/`tcp` 0) once registered in etcd;
 * - `pitaya-frontend.js` is a `connector` frontend listening on `BENCH_WS_PORT`/`BENCH_TCP_PORT`,
 *   Pitaya's default compression (from 256 B), and writes its ready file once it has discovered the backend.
 * The frontend is pinned to CPU 0, the backend to CPU 1 next to the load generator: two server
 * processes on a 2-core machine, hence the "oversubscribed" label.
 */
export const pitayaClusterTarget: TargetDefinition = {
  id: 'pitaya-cluster',
  label: 'pitaya-ts frontend→backend (gRPC)',
  description: 'oversubscribed: 2 processes on 2 cores — frontend (CPU 0) forwards `backend.bench.echo` over gRPC to a backend (CPU 1, with the generator), etcd discovery',
  unavailable(ctx: TargetContext): string | undefined {
    const missing = Object.values(CLUSTER_SCRIPTS).filter((s) => !fs.existsSync(path.join(ctx.distDir, 'servers', s)));
    if (missing.length > 0) return `not run: cluster mode pending (dist/servers/${missing.join(', dist/servers/')} absent)`;
    if (!hasEtcd()) return 'not run: etcd is not installed';
    return undefined;
  },
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const etcd = await startEtcd({ name: 'bench' });
    const env = { BENCH_ETCD_URL: etcd.url };
    return startFrontendBackend(ctx, {
      backend: { label: 'pitaya-ts backend', script: CLUSTER_SCRIPTS.backend, env, readyTimeoutMs: 30_000 },
      frontend: { label: 'pitaya-ts frontend', script: CLUSTER_SCRIPTS.frontend, env, nodeArgs: options?.nodeArgs, readyTimeoutMs: 30_000 },
      before: [() => etcd.stop()],
    });
  },
};

/**
 * The ceiling of scenario D with the transport Pitaya prescribes: the bare server (CPU 0) sends each
 * echo body through one grpc-js unary call to a raw grpc-js echo backend (CPU 1) — no protobuf
 * envelope, no session, no metadata, no discovery. Same two processes on the same cores as
 * `pitaya-cluster`.
 */
export const bareForwardTarget: TargetDefinition = {
  id: 'bare-forward',
  label: 'bare ws → raw grpc-js',
  description: 'oversubscribed: the bare ws server (CPU 0) forwards each echo body in one grpc-js unary call to a raw grpc-js echo server (CPU 1, with the generator)',
  unavailable: () => undefined,
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const grpcPort = await freePort();
    return startFrontendBackend(ctx, {
      backend: { label: 'bare gRPC echo', script: 'bare-grpc-backend.js', env: { BENCH_GRPC_PORT: String(grpcPort) } },
      frontend: { label: 'bare forwarder', script: 'bare-forward-main.js', env: { BENCH_GRPC_ADDRESS: `127.0.0.1:${grpcPort}` }, nodeArgs: options?.nodeArgs },
    });
  },
};

/** `pitaya-cluster` with `cluster.rpc.transport` = `nats`: a throwaway nats-server, etcd still the discovery. */
export const pitayaClusterNatsTarget: TargetDefinition = {
  id: 'pitaya-cluster-nats',
  label: 'pitaya-ts frontend→backend (NATS)',
  description: 'oversubscribed: as the gRPC pair, but the forwarded request is a NATS request/reply through a nats-server (floating, not pinned); etcd discovery',
  unavailable(ctx: TargetContext): string | undefined {
    return pitayaClusterTarget.unavailable(ctx) ?? (hasNatsServer() ? undefined : 'not run: nats-server is not installed');
  },
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const [etcd, nats] = await Promise.all([startEtcd({ name: 'bench' }), startNats()]);
    const env = { BENCH_ETCD_URL: etcd.url, BENCH_NATS_URL: nats.url };
    return startFrontendBackend(ctx, {
      backend: { label: 'pitaya-ts backend (NATS)', script: CLUSTER_SCRIPTS.backend, env, readyTimeoutMs: 30_000 },
      frontend: { label: 'pitaya-ts frontend (NATS)', script: CLUSTER_SCRIPTS.frontend, env, nodeArgs: options?.nodeArgs, readyTimeoutMs: 30_000 },
      before: [() => etcd.stop(), () => nats.stop()],
    });
  },
};

/**
 * The ceiling of scenario D over NATS: the bare server (CPU 0) sends each echo body as one raw
 * nats.js request to a raw nats.js echo subscriber (CPU 1) through the same nats-server — no
 * protobuf envelope, no session, no metadata, no discovery.
 */
export const bareForwardNatsTarget: TargetDefinition = {
  id: 'bare-forward-nats',
  label: 'bare ws → raw NATS request/reply',
  description: 'oversubscribed: the bare ws server (CPU 0) forwards each echo body in one nats.js request to a raw nats.js echo subscriber (CPU 1, with the generator) through a nats-server (floating)',
  unavailable: () => (hasNatsServer() ? undefined : 'not run: nats-server is not installed'),
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const nats = await startNats();
    const env = { BENCH_NATS_URL: nats.url };
    return startFrontendBackend(ctx, {
      backend: { label: 'bare NATS echo', script: 'bare-nats-backend.js', env },
      frontend: { label: 'bare forwarder (NATS)', script: 'bare-forward-main.js', env, nodeArgs: options?.nodeArgs },
      before: [() => nats.stop()],
    });
  },
};

/**
 * Starts a scenario-D pair: the backend on the generator's core, then the frontend (measured, with
 * client ports) on the server's core. Stops everything started so far, `before` included, when a
 * step fails, and in reverse order when the target is stopped.
 */
async function startFrontendBackend(
  ctx: TargetContext,
  pair: { backend: ScriptStart; frontend: ScriptStart; before?: readonly (() => Promise<void>)[] },
): Promise<RunningTarget> {
  const stops = [...(pair.before ?? [])];
  const stopAll = async (): Promise<void> => {
    for (const stop of [...stops].reverse()) await stop();
  };
  try {
    const backend = await startScript(ctx, { ...pair.backend, cpu: GENERATOR_CPU });
    stops.push(() => ctx.registry.stop(backend.process, 3000));
    const frontend = await startScript(ctx, { ...pair.frontend, cpu: SERVER_CPU, listens: true });
    stops.push(() => ctx.registry.stop(frontend.process, 3000));
    return { pid: frontend.ready.pid, wsPort: frontend.ready.ws, tcpPort: frontend.ready.tcp, routes: FORWARDED_ROUTES, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
