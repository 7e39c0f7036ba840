/** WorkerModule wired into a real application (standalone: no cluster, so every RPC fails and is retried). */
import { Redis } from 'ioredis';
import { createLogger, Injectable, Module, Pitaya } from '@pitaya-ts/core';
import { startRedis, waitFor, type RedisHandle } from '@pitaya-ts/testing';
import { ReliableRpc, WorkerModule } from '@pitaya-ts/worker';

describe('WorkerModule', () => {
  let redis: RedisHandle;
  let kv: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    kv = new Redis({ host: redis.host, port: redis.port });
  });
  afterAll(async () => {
    kv?.disconnect();
    await redis?.stop();
  });

  it('exports ReliableRpc to the importing module and runs the worker as the Pitaya module "worker"', async () => {
    @Injectable()
    class Shop {
      constructor(readonly reliable: ReliableRpc) {}
    }
    @Module({
      imports: [WorkerModule.forRoot({ worker: true, config: { worker: { redis: { serverUrl: redis.address }, processId: 'mod', pollInterval: 50 } } })],
      providers: [Shop],
    })
    class AppModule {}
    const app = await Pitaya.create(AppModule, { serverType: 'shop', frontend: false, logger: createLogger({ level: 'silent' }), env: {} });
    await app.start();
    try {
      expect(app.modules.names()).toContain('worker');
      const jid = await app.get(Shop).reliable.reliableRpc('inventory.items.grant', { item: 1 }, { retry: { minDelay: 3600, maxDelay: 3600 } });
      // Standalone: the RPC is refused ("RPC server is not running"), so the job waits in the retry set.
      const retried = await waitFor(async () => (await kv.zrange('goretry', '0', '-1')).find((j) => j.includes(jid)), { timeoutMs: 10_000 });
      expect(JSON.parse(retried).error_message).toContain('RPC server is not running');
    } finally {
      await app.close();
    }
    expect(await kv.llen('queue:rpc:mod:inprogress')).toBe(0);
  });

  it('only enqueues without worker: true', async () => {
    @Module({ imports: [WorkerModule.forRoot({ config: { worker: { redis: { serverUrl: redis.address } } } })] })
    class AppModule {}
    const app = await Pitaya.create(AppModule, { serverType: 'shop', frontend: false, logger: createLogger({ level: 'silent' }), env: {} });
    await app.start();
    try {
      expect(app.modules.names()).not.toContain('worker');
    } finally {
      await app.close();
    }
  });
});
