/**
 * The worker against a real Redis, in one process: queue layout, retries with backoff, the dead
 * set, poisoned jobs, resuming in-progress jobs, metrics. The RPC transport is a recording
 * `RpcClient` here; `e2e/reliable-rpc.test.ts` runs the same paths through real cluster processes.
 */
import { Redis } from 'ioredis';
import { createLogger, NoopMetricsReporter, type MetricsReporter, PitayaError, type RpcCallOptions, type RpcClient } from '@pitaya-ts/core';
import { startRedis, waitFor, type RedisHandle } from '@pitaya-ts/testing';
import { ReliableRpc, resolveWorkerConfig, RpcWorker, WorkerConnection, type RpcJob, type WorkerConfigInput } from '@pitaya-ts/worker';

interface Call { route: string; body: unknown; serverId?: string; options?: RpcCallOptions; at: number }

/** Records calls; `behaviour` decides each call's outcome. */
class RecordingRpc implements RpcClient {
  readonly calls: Call[] = [];
  behaviour: (call: Call) => Promise<unknown> = () => Promise.resolve({});

  call<T>(route: string, body?: unknown, options?: RpcCallOptions): Promise<T> {
    const call = { route, body, options, at: Date.now() };
    this.calls.push(call);
    return this.behaviour(call) as Promise<T>;
  }

  callTo<T>(serverId: string, route: string, body?: unknown, options?: RpcCallOptions): Promise<T> {
    const call = { route, body, serverId, options, at: Date.now() };
    this.calls.push(call);
    return this.behaviour(call) as Promise<T>;
  }
}

/** A metrics reporter that keeps the last worker gauges it was given. */
function recordingMetrics(): MetricsReporter & { seen: Map<string, number> } {
  const seen = new Map<string, number>();
  return Object.assign(new NoopMetricsReporter(), {
    seen,
    workerJobsTotal: (status: 'ok' | 'failed', total: number) => void seen.set(`jobs_total{${status}}`, total),
    workerJobsRetry: (count: number) => void seen.set('jobs_retry_total', count),
    workerQueueSize: (queue: string, size: number) => void seen.set(`queue_size{${queue}}`, size),
  });
}

const log = createLogger({ level: 'silent' });
const FAST = { exponential: 0, minDelay: 1, maxDelay: 1, maxRandom: 0 };

describe('RpcWorker on a real Redis', () => {
  let redis: RedisHandle;
  let kv: Redis;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    kv = new Redis({ host: redis.host, port: redis.port });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await kv.flushall();
  });
  afterAll(async () => {
    kv?.disconnect();
    await redis?.stop();
  });

  const setup = (input: WorkerConfigInput['worker'] = {}, rpc = new RecordingRpc(), metrics = recordingMetrics(), rpcJob?: RpcJob, at = redis) => {
    const config = resolveWorkerConfig({
      worker: { redis: { serverUrl: at.address }, processId: 'test-host', pollInterval: 50, ...input },
      metrics: { period: 100 },
    }, {});
    const connection = new WorkerConnection(config, log);
    const worker = new RpcWorker(config, connection, rpc, log, metrics, rpcJob);
    const reliable = new ReliableRpc(config, connection);
    stops.push(async () => {
      await worker.stop();
      await connection.close();
    });
    return { worker, reliable, rpc, metrics, config };
  };

  it('enqueues in go-workers layout: SADD queues rpc, LPUSH queue:rpc, namespaced keys', async () => {
    const { reliable } = setup({ namespace: 'pitaya' });
    const jid = await reliable.reliableRpc('room.room.grant', { uid: 'u1', item: 7 }, { metadata: { shard: 3 } });
    expect(jid).toMatch(/^[0-9a-f]{24}$/);
    expect(await kv.smembers('pitaya:queues')).toEqual(['rpc']);
    const [json] = await kv.lrange('pitaya:queue:rpc', 0, -1);
    const job = JSON.parse(json!) as Record<string, unknown>;
    expect(Object.keys(job)).toEqual(['queue', 'class', 'args', 'jid', 'enqueued_at', 'retry', 'retry_max', 'retry_options', 'connection_options']);
    expect(job).toMatchObject({
      queue: 'rpc', class: '', jid, retry: true, retry_max: 2,
      args: { Route: 'room.room.grant', Metadata: { shard: 3 }, Arg: { uid: 'u1', item: 7 }, Reply: {} },
      retry_options: { exp: 5, min_delay: 10, max_delay: 10, max_rand: 0 },
    });
    expect(Math.abs((job.enqueued_at as number) - Date.now() / 1000)).toBeLessThan(5);
    await expect(reliable.reliableRpc('nodot', {})).rejects.toThrow(PitayaError);
    await expect(reliable.reliableRpc('a.b.c', new Uint8Array(1))).rejects.toThrow('JSON');
    await expect(reliable.reliableRpc('a.b.c', { n: 1n })).rejects.toThrow('not JSON-serialisable');
    await expect(reliable.reliableRpc('a.b.c', {}, { retry: { minDelay: Number.NaN } })).rejects.toThrow('retry.minDelay');
    await expect(reliable.reliableRpc('a.b.c', {}, { retry: { max: -1 } })).rejects.toThrow('retry.max');
    expect(await kv.llen('pitaya:queue:rpc')).toBe(1);                  // nothing half-written
  });

  it('executes a job as a user RPC with the JSON argument as sent, acknowledges it and counts it', async () => {
    const { worker, reliable, rpc } = setup();
    await reliable.reliableRpc('room.room.grant', { uid: 'u1', big: 1 });
    await kv.lpush('queue:rpc', '{"queue":"rpc","class":"","args":{"Route":"room.room.big","Metadata":null,"Arg":{"id":12345678901234567890},"Reply":{}},"jid":"x","retry":true}');
    worker.start();
    await waitFor(() => rpc.calls.length === 2 && kv.get('stat:processed').then((v) => v === '2'), { timeoutMs: 10_000 });
    expect(rpc.calls.map((c) => [c.route, Buffer.from(c.body as Uint8Array).toString()])).toEqual([
      ['room.room.grant', '{"uid":"u1","big":1}'],
      ['room.room.big', '{"id":12345678901234567890}'],
    ]);
    expect(await kv.llen('queue:rpc:test-host:inprogress')).toBe(0);
    expect(await kv.get(`stat:processed:${new Date().toISOString().slice(0, 10)}`)).toBe('2');
  });

  it('retries a failing job with the backoff stored in it, then succeeds', async () => {
    const { worker, reliable, rpc } = setup();
    rpc.behaviour = () => (rpc.calls.length <= 2 ? Promise.reject(new PitayaError('PIT-500', `down ${rpc.calls.length}`)) : Promise.resolve({}));
    await reliable.reliableRpc('room.room.grant', {}, { retry: { ...FAST, max: 5 } });
    worker.start();
    const retried = await waitFor(async () => (await kv.zrange('goretry', '0', '-1'))[0], { timeoutMs: 10_000 });
    expect(JSON.parse(retried)).toMatchObject({ queue: 'rpc', retry_count: 0, error_message: 'down 1', retry: true });
    expect(JSON.parse(retried).failed_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await waitFor(() => kv.get('stat:processed').then((v) => v === '1'), { timeoutMs: 15_000 });
    expect(rpc.calls).toHaveLength(3);
    expect(await kv.get('stat:failed')).toBe('2');
    // min_delay 1 s: each retry waits at least a second after the failure before it, never less.
    expect(rpc.calls[1]!.at - rpc.calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(rpc.calls[2]!.at - rpc.calls[1]!.at).toBeGreaterThanOrEqual(950);
    expect(await kv.zcard('goretry')).toBe(0);
    expect(await kv.llen('queue:rpc:test-host:inprogress')).toBe(0);
  });

  it('moves a job out of retries, and a poisoned (unparseable) one, to the dead set; keeps working', async () => {
    const { worker, reliable, rpc } = setup();
    rpc.behaviour = (call) => (call.route === 'room.room.bad' ? Promise.reject(new Error('always fails')) : Promise.resolve({}));
    await reliable.reliableRpc('room.room.bad', {}, { retry: { ...FAST, minDelay: 0, maxDelay: 0, max: 1 } });
    await kv.lpush('queue:rpc', 'this is not json', '{"queue":"rpc","args":{"NoRoute":1}}');
    worker.start();
    await waitFor(() => kv.zcard('dead').then((n) => n === 3), { timeoutMs: 15_000, message: 'three jobs in the dead set' });
    const dead = await kv.zrange('dead', '0', '-1');
    expect(dead).toContain('this is not json');
    expect(dead).toContain('{"queue":"rpc","args":{"NoRoute":1}}');
    const exhausted = JSON.parse(dead.find((d) => d.includes('room.room.bad'))!) as Record<string, unknown>;
    // go-workers' rule: retried while retry_count < retry_max, so with retry_max 1 the job runs three
    // times; the last failure is stamped too (retry_count 2, retried_at), as Sidekiq does on death.
    expect(exhausted).toMatchObject({ retry_count: 2, error_message: 'always fails' });
    expect(exhausted.retried_at).toEqual(expect.any(String));
    expect(rpc.calls.filter((c) => c.route === 'room.room.bad')).toHaveLength(3);
    expect(await kv.llen('queue:rpc:test-host:inprogress')).toBe(0);
    // Still serving.
    await reliable.reliableRpc('room.room.good', {});
    await waitFor(() => rpc.calls.some((c) => c.route === 'room.room.good'), { timeoutMs: 10_000 });
  });

  it('a worker stopped mid-job leaves it in progress; the next run with the same process id runs it again', async () => {
    const first = setup({ processId: 'box-1' });
    let release!: () => void;
    first.rpc.behaviour = () => new Promise((resolve) => (release = () => resolve({})));
    await first.reliable.reliableRpc('room.room.grant', { n: 1 });
    first.worker.start();
    await waitFor(() => first.rpc.calls.length === 1, { timeoutMs: 10_000 });
    expect(await kv.llen('queue:rpc:box-1:inprogress')).toBe(1);
    // A graceful stop waits for the job in flight, which is then acknowledged…
    const stopped = first.worker.stop();
    release();
    await stopped;
    expect(await kv.llen('queue:rpc:box-1:inprogress')).toBe(0);

    // …whereas a crash leaves it in the list (the kill -9 case of e2e/reliable-rpc.test.ts): put one there.
    await kv.lpush('queue:rpc:box-1:inprogress', '{"queue":"rpc","class":"","args":{"Route":"room.room.left","Metadata":null,"Arg":null,"Reply":{}},"jid":"j2","retry":true}');
    const second = setup({ processId: 'box-1' });
    const other = setup({ processId: 'box-2' });
    other.worker.start();
    second.worker.start();
    await waitFor(() => second.rpc.calls.some((c) => c.route === 'room.room.left'), { timeoutMs: 10_000 });
    expect(other.rpc.calls).toHaveLength(0);
    expect(second.rpc.calls.find((c) => c.route === 'room.room.left')!.body).toBeUndefined();
    await waitFor(() => kv.llen('queue:rpc:box-1:inprogress').then((n) => n === 0), { timeoutMs: 10_000 });
  });

  it('asks the RpcJob for the server and the protobuf types, as Go\'s ServerDiscovery and GetArgReply', async () => {
    const rpcJob: RpcJob = {
      serverDiscovery: (route, metadata) => (route.startsWith('room.') ? `room-${String(metadata.shard)}` : undefined),
      argReply: (route) => (route === 'room.room.proto' ? { requestType: 'test.TestRequest', responseType: 'test.TestResponse' } : undefined),
    };
    const { worker, reliable, rpc } = setup({}, new RecordingRpc(), recordingMetrics(), rpcJob);
    await reliable.reliableRpc('room.room.proto', { msg: 'hi' }, { metadata: { shard: 2 } });
    await reliable.reliableRpc('shop.items.grant', { n: 1 });
    worker.start();
    await waitFor(() => rpc.calls.length === 2, { timeoutMs: 10_000 });
    expect(rpc.calls[0]).toMatchObject({ route: 'room.room.proto', serverId: 'room-2', body: { msg: 'hi' }, options: { requestType: 'test.TestRequest' } });
    expect(rpc.calls[1]!.serverId).toBeUndefined();
    expect(Buffer.from(rpc.calls[1]!.body as Uint8Array).toString()).toBe('{"n":1}');
  });

  it('rides out a Redis outage: enqueues fail fast while it is down, jobs resume when it is back', async () => {
    const persistent = await startRedis({ persistence: true });
    try {
      const { worker, reliable, rpc } = setup({}, new RecordingRpc(), recordingMetrics(), undefined, persistent);
      worker.start();
      await reliable.reliableRpc('room.room.one', {});
      await waitFor(() => rpc.calls.length === 1, { timeoutMs: 10_000 });
      await persistent.kill();
      const began = Date.now();
      await expect(reliable.reliableRpc('room.room.lost', {})).rejects.toThrow();
      expect(Date.now() - began).toBeLessThan(5000);
      await persistent.restart();
      await waitFor(() => reliable.reliableRpc('room.room.two', {}).then(() => true, () => false), { timeoutMs: 15_000, message: 'enqueue works again' });
      await waitFor(() => rpc.calls.some((c) => c.route === 'room.room.two'), { timeoutMs: 15_000, message: 'the worker fetches again' });
      expect(rpc.calls.map((c) => c.route)).toEqual(['room.room.one', 'room.room.two']);
    } finally {
      for (const stop of stops.splice(0).reverse()) await stop();
      await persistent.stop();
    }
  }, 40_000);

  it('with worker.orphans.recover, takes over the in-progress jobs of process ids without a heartbeat', async () => {
    const job = (route: string): string => `{"queue":"rpc","class":"","args":{"Route":"${route}","Metadata":null,"Arg":null,"Reply":{}},"jid":"${route}","retry":true}`;
    await kv.lpush('queue:rpc:ghost:inprogress', job('room.room.ghost'));
    await kv.lpush('queue:rpc:alive:inprogress', job('room.room.alive'));
    await kv.set('pitaya-ts:worker:alive', '1', 'PX', 60_000);

    // Off by default: a worker runs its own jobs and leaves other lists alone.
    const plain = setup({ processId: 'plain' });
    plain.worker.start();
    await plain.reliable.reliableRpc('room.room.own', {});
    await waitFor(() => plain.rpc.calls.length === 1, { timeoutMs: 10_000 });
    expect(await kv.exists('pitaya-ts:worker:plain')).toBe(1);
    await plain.worker.stop();
    expect(await kv.exists('pitaya-ts:worker:plain')).toBe(0);
    expect(await kv.llen('queue:rpc:ghost:inprogress')).toBe(1);

    const rescuer = setup({ processId: 'rescuer', orphans: { recover: true, ttl: 300 } });
    rescuer.worker.start();
    await waitFor(() => rescuer.rpc.calls.some((c) => c.route === 'room.room.ghost'), { timeoutMs: 10_000, message: 'the orphaned job ran' });
    expect(await kv.llen('queue:rpc:ghost:inprogress')).toBe(0);
    expect(await kv.llen('queue:rpc:alive:inprogress')).toBe(1);       // its owner is alive
    expect(rescuer.rpc.calls.map((c) => c.route)).not.toContain('room.room.alive');
  });

  it('runs at most worker.concurrency jobs at once', async () => {
    const { worker, reliable, rpc } = setup({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    rpc.behaviour = async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 100));
      running--;
      return {};
    };
    for (let i = 0; i < 6; i++) await reliable.reliableRpc('room.room.grant', { i });
    worker.start();
    await waitFor(() => kv.get('stat:processed').then((v) => v === '6'), { timeoutMs: 15_000 });
    expect(peak).toBe(2);
  });

  it('reports Pitaya\'s worker metrics from the Redis stats', async () => {
    const { worker, reliable, rpc, metrics } = setup();
    rpc.behaviour = (call) => (call.route === 'room.room.bad' ? Promise.reject(new Error('no')) : Promise.resolve({}));
    await reliable.reliableRpc('room.room.ok', {});
    await reliable.reliableRpc('room.room.bad', {}, { retry: { ...FAST, minDelay: 3600, maxDelay: 3600 } });
    worker.start();
    await waitFor(() => metrics.seen.get('jobs_total{ok}') === 1 && metrics.seen.get('jobs_total{failed}') === 1 && metrics.seen.get('jobs_retry_total') === 1,
      { timeoutMs: 10_000, message: 'metrics reported' });
    expect(metrics.seen.get('queue_size{rpc}')).toBe(0);
  });
});
