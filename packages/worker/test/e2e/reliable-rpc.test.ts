/**
 * Reliable RPC through a real cluster: etcd, redis-server and pitaya-ts servers as separate
 * processes (apps/e2e-server) talking gRPC. A target backend serves `game.reliable.record`, which
 * logs every attempt to a file that outlives any process; a worker server executes the jobs.
 * Processes are killed with SIGKILL, as a crash would.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PitayaClient } from '@pitaya-ts/client/node';
import { createLogger } from '@pitaya-ts/core';
import { ServerProcess, startEtcd, startRedis, waitFor, type EtcdHandle, type RedisHandle } from '@pitaya-ts/testing';
import { ReliableRpc, resolveWorkerConfig, WorkerConnection } from '@pitaya-ts/worker';

const E2E_SERVER = path.resolve(__dirname, '../../../../apps/e2e-server/dist/main.js');
const ENV = {
  PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: '3s',
  PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '4s',
  PITAYA_WORKER_POLLINTERVAL: '200ms',
};
// Fast retries for the tests: one second between attempts, many attempts.
const FAST_RETRY = { exponential: 0, minDelay: 1, maxDelay: 1, maxRandom: 0, max: 30 };

describe('reliable RPC across real processes', () => {
  let etcd: EtcdHandle;
  let redis: RedisHandle;
  let kv: Redis;
  let logDir: string;
  let prefix: string;
  let enqueuer: { reliable: ReliableRpc; connection: WorkerConnection };
  const processes = new Set<ServerProcess>();

  const start = async (args: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> => {
    const server = await ServerProcess.start(E2E_SERVER, { etcd: etcd.endpoint, sdprefix: prefix, ...args }, { env: { ...ENV, ...env }, timeoutMs: 30_000 });
    processes.add(server);
    return server;
  };
  const kill = async (server: ServerProcess): Promise<void> => {
    await server.stop('SIGKILL');
    processes.delete(server);
  };
  const startTarget = (): Promise<ServerProcess> => start({ type: 'game', frontend: 'false', reliablelog: logDir });
  const startWorker = (id: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> =>
    start({ type: 'worker', frontend: 'false', redis: redis.address, worker: 'true', workerid: id }, env);
  /** `start`/`done` lines of the target's log for one job id. */
  const attempts = (id: string): { starts: number; dones: number } => {
    const file = path.join(logDir, 'record.log');
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
    return { starts: lines.filter((l) => l.startsWith(`start ${id} `)).length, dones: lines.filter((l) => l.startsWith(`done ${id} `)).length };
  };
  const stat = async (name: 'processed' | 'failed'): Promise<number> => Number((await kv.get(`stat:${name}`)) ?? 0);

  beforeAll(async () => {
    [etcd, redis] = await Promise.all([startEtcd(), startRedis()]);
    kv = new Redis({ host: redis.host, port: redis.port });
    logDir = mkdtempSync(path.join(tmpdir(), 'pitaya-reliable-'));
    const config = resolveWorkerConfig({ worker: { redis: { serverUrl: redis.address } } }, {});
    const connection = new WorkerConnection(config, createLogger({ level: 'silent' }));
    enqueuer = { reliable: new ReliableRpc(config, connection), connection };
  }, 30_000);

  // Each test has its own cluster (discovery prefix) and kills what it started, so a server killed
  // by one test, still listed in etcd until its lease expires, is never called by the next.
  beforeEach(() => {
    prefix = `reliable-${randomUUID()}/`;
  });
  afterEach(async () => {
    await Promise.all([...processes].map((p) => kill(p)));
  }, 30_000);

  afterAll(async () => {
    await Promise.all([...processes].map((p) => p.stop('SIGKILL')));
    await enqueuer?.connection.close();
    kv?.disconnect();
    await Promise.all([etcd?.stop(), redis?.stop()]);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }, 30_000);

  it('executes a job written by the test in go-workers\' JSON layout (spec §5.8), as a Go server enqueues it', async () => {
    const [target, worker] = await Promise.all([startTarget(), startWorker('w-go')]);
    const jid = 'a1b2c3d4e5f60718293a4b5c';
    const job = `{"queue":"rpc","class":"","args":{"Route":"game.reliable.record","Metadata":{},"Arg":{"id":"from-go"},"Reply":{}},` +
      `"jid":"${jid}","enqueued_at":${Date.now() / 1000},"retry":true,"retry_max":2,` +
      '"retry_options":{"exp":5,"min_delay":10,"max_delay":10,"max_rand":0}}';
    // §5.8 shows RPUSH; go-workers v1.2.1 itself LPUSHes (FIFO with its BRPOPLPUSH). For one job both are the same.
    await kv.sadd('queues', 'rpc');
    await kv.rpush('queue:rpc', job);
    await waitFor(() => attempts('from-go').dones === 1, { timeoutMs: 20_000, message: 'the Go-layout job ran' });
    expect(attempts('from-go').starts).toBe(1);
    await waitFor(async () => (await kv.llen('queue:rpc:w-go:inprogress')) === 0 && (await stat('processed')) >= 1, { timeoutMs: 10_000 });
    expect(await kv.llen('queue:rpc')).toBe(0);
    await Promise.all([kill(target), kill(worker)]);
  }, 90_000);

  it('types Go-layout jobs for protobuf remotes through the RpcJob (Go\'s GetArgReply): a success and a remote error', async () => {
    const [target, worker] = await Promise.all([startTarget(), startWorker('w-proto')]);
    const processedBefore = await stat('processed');
    const goJob = (jid: string, route: string, retryMax: number): string =>
      `{"queue":"rpc","class":"","args":{"Route":"${route}","Metadata":null,"Arg":{"msg":"hi"},"Reply":{}},"jid":"${jid}",` +
      `"enqueued_at":${Date.now() / 1000},"retry":true,"retry_max":${retryMax},"retry_options":{"exp":0,"min_delay":0,"max_delay":0,"max_rand":0}}`;
    await kv.lpush('queue:rpc', goJob('0000000000000000000000aa', 'game.testremotesvc.rpctestptrreturnsptr', 2));
    await waitFor(async () => (await stat('processed')) === processedBefore + 1, { timeoutMs: 20_000, message: 'the protobuf job succeeded' });
    // The worker knows the target now; a job without retries reaches it on its only attempt.
    await kv.lpush('queue:rpc', goJob('0000000000000000000000bb', 'game.testremotesvc.rpctestreturnserror', 0));
    // retry_max 0 (which Go would omit) means no retries: the remote's error goes with the job to the dead set.
    const dead = await waitFor(async () => (await kv.zrange('dead', '0', '-1')).find((j) => j.includes('0000000000000000000000bb')), { timeoutMs: 20_000 });
    expect(JSON.parse(dead)).toMatchObject({ error_message: 'test error', retry_count: 0 });
    await Promise.all([kill(target), kill(worker)]);
  }, 90_000);

  it('survives the caller and a worker killed mid-job: the restarted worker runs the job again until it succeeds', async () => {
    const target = await startTarget();
    const caller = await start({ type: 'connector', redis: redis.address });
    let worker = await startWorker('w-1');
    const client = await PitayaClient.connect(`tcp://127.0.0.1:${caller.tcpPort}`, { requestTimeoutMs: 10_000 });
    const processedBefore = await stat('processed');
    const { jid } = await client.request<{ jid: string }>('connector.reliablesvc.enqueue', {
      route: 'game.reliable.record', arg: { id: 'worker-kill', sleepFirstMs: 30_000 }, retry: FAST_RETRY,
    });
    await client.close();
    await kill(caller);                                   // the caller dies right after enqueueing

    await waitFor(() => attempts('worker-kill').starts === 1, { timeoutMs: 20_000, message: 'the first attempt started' });
    await kill(worker);                                   // mid-job: the remote is still sleeping
    const inProgress = await kv.lrange('queue:rpc:w-1:inprogress', 0, -1);
    expect(inProgress).toHaveLength(1);
    expect(JSON.parse(inProgress[0]!)).toMatchObject({ jid, args: { Route: 'game.reliable.record' } });

    worker = await startWorker('w-1');                    // same process id: takes its in-progress list back
    await waitFor(() => attempts('worker-kill').dones >= 1, { timeoutMs: 30_000, message: 'the job ran again and succeeded' });
    expect(attempts('worker-kill').starts).toBe(2);      // at least once: twice here, which is why remotes must be idempotent
    await waitFor(async () => (await kv.llen('queue:rpc:w-1:inprogress')) === 0, { timeoutMs: 10_000 });
    await waitFor(async () => (await stat('processed')) === processedBefore + 1, { timeoutMs: 10_000, message: 'counted once as processed' });
    await Promise.all([kill(target), kill(worker)]);
  }, 120_000);

  it('with orphan recovery, a worker under another process id takes over the jobs of one killed mid-job', async () => {
    const recovery = { PITAYA_WORKER_ORPHANS_RECOVER: 'true', PITAYA_WORKER_ORPHANS_TTL: '1s' };
    const target = await startTarget();
    const doomed = await startWorker('pod-a', recovery);
    const jid = await enqueuer.reliable.reliableRpc('game.reliable.record', { id: 'orphan', sleepFirstMs: 30_000 }, { retry: FAST_RETRY });
    await waitFor(() => attempts('orphan').starts === 1, { timeoutMs: 20_000, message: 'the first attempt started' });
    await kill(doomed);                                   // a replaced pod: it never comes back as pod-a
    expect((await kv.lrange('queue:rpc:pod-a:inprogress', 0, -1)).join()).toContain(jid);

    await startWorker('pod-b', recovery);
    await waitFor(() => attempts('orphan').dones >= 1, { timeoutMs: 30_000, message: 'pod-b ran the orphaned job' });
    expect(attempts('orphan').starts).toBe(2);
    expect(await kv.llen('queue:rpc:pod-a:inprogress')).toBe(0);
    await kill(target);
  }, 120_000);

  it('survives the target server killed mid-job: the job is retried with backoff until a target answers', async () => {
    let target = await startTarget();
    const worker = await startWorker('w-2');
    const failedBefore = await stat('failed');
    const processedBefore = await stat('processed');
    const jid = await enqueuer.reliable.reliableRpc('game.reliable.record', { id: 'target-kill', sleepFirstMs: 30_000 }, { retry: FAST_RETRY });

    await waitFor(() => attempts('target-kill').starts === 1, { timeoutMs: 20_000, message: 'the first attempt started' });
    await kill(target);                                   // mid-job: the worker's RPC loses its server
    const retried = await waitFor(async () => (await kv.zrange('goretry', '0', '-1')).find((j) => j.includes(jid)), {
      timeoutMs: 20_000, message: 'the job is in the retry set',
    });
    expect(JSON.parse(retried)).toMatchObject({ jid, queue: 'rpc', retry: true, error_message: expect.any(String) });
    // With no target at all, attempts keep failing (counted), a second apart.
    await waitFor(async () => (await stat('failed')) >= failedBefore + 2, { timeoutMs: 20_000, message: 'failures counted' });
    expect(attempts('target-kill').dones).toBe(0);

    target = await startTarget();
    await waitFor(() => attempts('target-kill').dones === 1, { timeoutMs: 30_000, message: 'the job succeeded on the new target' });
    expect(attempts('target-kill').starts).toBe(2);
    await waitFor(async () => (await stat('processed')) === processedBefore + 1 && (await kv.zcard('goretry')) === 0, { timeoutMs: 10_000 });
    await Promise.all([kill(target), kill(worker)]);
  }, 120_000);

  it('moves a poisoned job (its remote always fails) to the dead set once its retries are spent', async () => {
    const [target, worker] = await Promise.all([startTarget(), startWorker('w-3')]);
    const failedBefore = await stat('failed');
    const jid = await enqueuer.reliable.reliableRpc('game.reliable.record', { id: 'poison', failTimes: 1000 }, {
      retry: { exponential: 0, minDelay: 0, maxDelay: 0, maxRandom: 0, max: 2 },
    });
    const dead = await waitFor(async () => (await kv.zrange('dead', '0', '-1')).find((j) => j.includes(jid)), {
      timeoutMs: 30_000, message: 'the job reached the dead set',
    });
    expect(JSON.parse(dead)).toMatchObject({ jid, retry_count: 3, error_message: expect.stringContaining('planned failure') });
    // go-workers' count: the first run + retry_max + 1 retries = 4 failed attempts (an attempt made
    // before the worker discovered the target fails without reaching it, hence "at most 4" starts).
    expect(await stat('failed')).toBe(failedBefore + 4);
    expect(attempts('poison').starts).toBeGreaterThanOrEqual(1);
    expect(attempts('poison').starts).toBeLessThanOrEqual(4);
    expect(attempts('poison').dones).toBe(0);
    expect(await kv.llen('queue:rpc:w-3:inprogress')).toBe(0);
    await Promise.all([kill(target), kill(worker)]);
  }, 90_000);
});
