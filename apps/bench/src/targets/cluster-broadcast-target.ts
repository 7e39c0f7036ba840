import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEtcd } from '@pitaya-ts/testing';
import { GENERATOR_CPU, SERVER_CPU } from '../orchestrator/cpu-pinning';
import { FORWARDED_ROUTES } from '../servers/bench-routes';
import { hasEtcd } from './etcd';
import { startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

const SCRIPTS = { backend: 'pitaya-broadcast-backend.js', frontend: 'pitaya-broadcast-frontend.js' } as const;

/**
 * The cluster broadcast: a backend (type `backend`, CPU 1 with the generator) broadcasts to a room
 * whose members are spread over two pitaya-ts frontends (type `connector`, both on CPU 0, so the
 * frontends together get the core the standalone server gets). etcd discovery and binding storage
 * on a fresh etcd, gRPC. `wsPort` is the first frontend, `extraWsPorts` the second; CPU is the
 * first frontend's.
 */
export const pitayaClusterBroadcastTarget: TargetDefinition = {
  id: 'pitaya-cluster-broadcast',
  label: 'pitaya-ts backend → 2 frontends (broadcast)',
  description: 'oversubscribed: a backend (CPU 1, with the generator) broadcasts over gRPC to members spread over two frontends (both CPU 0); etcd discovery + binding storage, groups in the backend\'s memory, otherwise Pitaya defaults as the standalone row (compression from 256 B)',
  unavailable(ctx: TargetContext): string | undefined {
    const missing = Object.values(SCRIPTS).filter((s) => !fs.existsSync(path.join(ctx.distDir, 'servers', s)));
    if (missing.length > 0) return `not run: dist/servers/${missing.join(', dist/servers/')} absent`;
    if (!hasEtcd()) return 'not run: etcd is not installed';
    return undefined;
  },
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const etcd = await startEtcd({ name: 'bench-broadcast' });
    const stops: (() => Promise<void>)[] = [() => etcd.stop()];
    const stopAll = async (): Promise<void> => {
      for (const stop of [...stops].reverse()) await stop();
    };
    // Compression at Pitaya's default, as on the standalone server it is compared with.
    const env = { BENCH_ETCD_URL: etcd.url };
    try {
      const backend = await startScript(ctx, { label: 'pitaya-ts broadcast backend', script: SCRIPTS.backend, env, cpu: GENERATOR_CPU, readyTimeoutMs: 30_000 });
      stops.push(() => ctx.registry.stop(backend.process, 3000));
      const frontends = [];
      for (const n of [1, 2]) {
        const frontend = await startScript(ctx, {
          label: `pitaya-ts broadcast frontend ${n}`, script: SCRIPTS.frontend, env, cpu: SERVER_CPU, listens: true, readyTimeoutMs: 30_000,
          nodeArgs: n === 1 ? options?.nodeArgs : undefined,
        });
        stops.push(() => ctx.registry.stop(frontend.process, 3000));
        frontends.push(frontend.ready);
      }
      const [first, second] = frontends;
      return { pid: first!.pid, wsPort: first!.ws, tcpPort: first!.tcp, extraWsPorts: [second!.ws], routes: FORWARDED_ROUTES, stop: stopAll };
    } catch (error) {
      await stopAll();
      throw error;
    }
  },
};
