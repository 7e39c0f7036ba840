/**
 * The worker's gauges reach Prometheus with Pitaya's names: a worker application with
 * ObservabilityModule (Prometheus on) and a real Redis, scraped over HTTP.
 */
import { get } from 'node:http';
import { createLogger, Module, Pitaya, type PitayaApplication } from '@pitaya-ts/core';
import { ObservabilityModule } from '@pitaya-ts/observability';
import { freePort, startRedis, waitFor, type RedisHandle } from '@pitaya-ts/testing';
import { ReliableRpc, WorkerModule } from '@pitaya-ts/worker';

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/metrics`, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('worker metrics', () => {
  let redis: RedisHandle;
  let app: PitayaApplication;
  let port: number;

  beforeAll(async () => {
    redis = await startRedis();
    port = await freePort();
    @Module({
      imports: [
        ObservabilityModule.forRoot({ config: { metrics: { prometheus: { enabled: true, port }, game: 'g' } } }),
        WorkerModule.forRoot({ worker: true, config: { worker: { redis: { serverUrl: redis.address }, processId: 'm', pollInterval: 50 }, metrics: { period: 100 } } }),
      ],
    })
    class WorkerApp {}
    app = await Pitaya.create(WorkerApp, { serverType: 'worker', frontend: false, logger: createLogger({ level: 'silent' }), env: {} });
    await app.start();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('exports pitaya_worker_worker_jobs_total{status}, _jobs_retry_total and _queue_size{queue}', async () => {
    // Standalone: the RPC fails and the job waits in the retry set (an hour away).
    await app.get(ReliableRpc).reliableRpc('inventory.items.grant', {}, { retry: { minDelay: 3600, maxDelay: 3600 } });
    const text = await waitFor(async () => {
      const body = await scrape(port);
      return /pitaya_worker_worker_jobs_total\{[^}]*status="failed"[^}]*\} 1\b/.test(body) ? body : undefined;
    }, { timeoutMs: 10_000, message: 'the failed job reported' });
    expect(text).toMatch(/pitaya_worker_worker_jobs_total\{[^}]*status="ok"[^}]*\} 0\b/);
    expect(text).toMatch(/pitaya_worker_worker_jobs_retry_total\{[^}]*game="g"[^}]*\} 1\b/);
    expect(text).toMatch(/pitaya_worker_worker_queue_size\{[^}]*queue="rpc"[^}]*\} 0\b/);
  });
});
