import { performance } from 'node:perf_hooks';

/** One measurement of scenario E, printed as a JSON line on stdout. */
export interface BootSample {
  /** `require('@pitaya-ts/core')` (+ reflect-metadata, inversify, pino). */
  readonly requireMs: number;
  /** Generating and decorating the classes (what tsc-emitted code does at module load). */
  readonly generateMs: number;
  /** `Pitaya.create()`: scan, container, route table, instances. */
  readonly createMs: number;
  /** `app.start()`: lifecycle hooks and opening a WebSocket acceptor. */
  readonly startMs: number;
  readonly routes: number;
}

/**
 * Scenario E, run in a fresh child process per sample: boots an app of `BENCH_HANDLERS`
 * generated handler classes (default 100) and reports the phases, then closes and exits.
 */
async function main(): Promise<void> {
  const handlers = Number(process.env.BENCH_HANDLERS ?? 100);
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing the load is the point
  const core = require('@pitaya-ts/core') as typeof import('@pitaya-ts/core');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateApp } = require('./generated-app') as typeof import('./generated-app');
  const t1 = performance.now();
  const root = generateApp({ handlers, methodsPerHandler: 5, services: 10 });
  const t2 = performance.now();
  const app = await core.Pitaya.create(root, {
    serverType: 'connector',
    acceptors: [core.ws({ port: 0, host: '127.0.0.1' })],
    logger: core.createLogger({ level: 'error' }),
    env: {},
  });
  const t3 = performance.now();
  await app.start();
  const t4 = performance.now();
  const sample: BootSample = {
    requireMs: t1 - t0,
    generateMs: t2 - t1,
    createMs: t3 - t2,
    startMs: t4 - t3,
    routes: app.routes.handlers.length,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(sample)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
