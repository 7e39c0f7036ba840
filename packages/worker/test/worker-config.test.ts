import { hostname } from 'node:os';
import { BootstrapError } from '@pitaya-ts/core';
import { resolveWorkerConfig } from '@pitaya-ts/worker';

describe('worker configuration (pitaya.worker.*)', () => {
  it('has Go Pitaya\'s defaults, the host name as process id', () => {
    const config = resolveWorkerConfig({}, {});
    expect(config.worker).toEqual({
      redis: { serverUrl: 'localhost:6379', pool: 10, password: '' },
      namespace: '',
      concurrency: 1,
      retry: { enabled: true, max: 2, exponential: 5, minDelay: 10, maxDelay: 10, maxRandom: 0 },
      processId: hostname(),
      pollInterval: 15_000,
      dead: { maxJobs: 10_000, timeout: 180 * 24 * 3_600_000 },
      orphans: { recover: false, ttl: 30_000 },
    });
    expect(config.metrics.period).toBe(15_000);
  });

  it('takes Pitaya\'s environment variables over code, including the string pool size', () => {
    const config = resolveWorkerConfig({ worker: { namespace: 'code', concurrency: 3 } }, {
      PITAYA_WORKER_REDIS_SERVERURL: '10.0.0.7:6380',
      PITAYA_WORKER_REDIS_POOL: '3',
      PITAYA_WORKER_NAMESPACE: 'env',
      PITAYA_WORKER_RETRY_MAX: '5',
      PITAYA_WORKER_POLLINTERVAL: '250ms',
    });
    expect(config.worker).toMatchObject({ redis: { serverUrl: '10.0.0.7:6380', pool: 3 }, namespace: 'env', concurrency: 3, pollInterval: 250 });
    expect(config.worker.retry.max).toBe(5);
  });

  it('stops start-up on an invalid value, naming the key', () => {
    expect(() => resolveWorkerConfig({}, { PITAYA_WORKER_CONCURRENCY: '0' })).toThrow(BootstrapError);
    expect(() => resolveWorkerConfig({}, { PITAYA_WORKER_REDIS_POOL: 'ten' })).toThrow(/pitaya\.worker\.redis\.pool/);
  });
});
