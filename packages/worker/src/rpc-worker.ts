import { injectable } from 'inversify';
import type { Redis } from 'ioredis';
import {
  Inject, LOGGER, METRICS_REPORTER, Optional, PitayaError, RPC_CLIENT,
  type Logger, type MetricsReporter, type PitayaModule, type RpcClient,
} from '@pitaya-ts/core';
import { Job, nowSeconds, RPC_QUEUE, rawField } from './job';
import { failedInTransaction } from './reliable-rpc';
import type { WorkerConfig } from './worker-config';
import { closeRedis, WorkerConnection } from './worker-connection';
import { RPC_JOB, WORKER_CONFIG, type RpcJob } from './worker-tokens';

/** go-workers' blocking-fetch timeout (seconds): how long a fetch waits before looking at `running` again. */
const FETCH_TIMEOUT_S = 1;
/** Pause after a Redis error before trying again, as go-workers does. */
const RETRY_PAUSE_MS = 1000;
/** Jobs moved from the retry/schedule sets per round trip. */
const POLL_BATCH = 50;
/** Longest `error_message` stored in a job: an error text must not grow Redis without bound. */
const MAX_ERROR_MESSAGE = 1000;

// Moves one due job from a sorted set to its queue only if this poller removed it: two pollers
// (Go or pitaya-ts) never both enqueue it, and a crash between the two steps cannot lose it.
const MOVE_DUE = `if redis.call('zrem', KEYS[1], ARGV[1]) == 1 then redis.call('lpush', KEYS[2], ARGV[2]) return 1 end return 0`;

// Moves an in-progress list back to its queue only if its owner has no heartbeat, in one step, so a
// worker that comes back meanwhile and the reaper never both hold the same list. Bounded per call.
const RECOVER_ORPHANS = `if redis.call('exists', KEYS[2]) == 1 then return -1 end
local n = 0
while n < 1000 and redis.call('rpoplpush', KEYS[1], KEYS[3]) do n = n + 1 end
return n`;

type JobOutcome = 'ok' | 'retry' | 'dead' | 'discarded';

/**
 * The worker of Pitaya's reliable RPC, doing what go-workers v1.2.1 does with the same Redis keys,
 * so it shares queues with Go workers: takes jobs with `BRPOPLPUSH queue:rpc → queue:rpc:<processId>:inprogress`
 * (at most `worker.concurrency` at once), runs each as a user RPC through `RPC_CLIENT`, removes it
 * from the in-progress list when done, puts failures in `goretry` with the job's backoff, and
 * moves due retries back to the queue. On start it first re-runs whatever its in-progress list
 * holds (a previous run with this process id died mid-job).
 *
 * Where go-workers loses jobs, this worker does not: a job whose retries are exhausted, or that
 * cannot be parsed, goes to Sidekiq's `dead` set (bounded by `worker.dead.*`) instead of vanishing
 * or staying in the in-progress list forever, and a job is only removed from the in-progress list
 * in the same transaction that records its outcome.
 */
@injectable('Singleton')
export class RpcWorker implements PitayaModule {
  private running = false;
  private readonly active = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private blocking: Redis | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private metricsTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reaperTimer: NodeJS.Timeout | undefined;
  private reaping: Promise<void> | undefined;
  private readonly inProgressKey: string;
  private readonly queueKey: string;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly connection: WorkerConnection,
    @Inject(RPC_CLIENT) private readonly rpc: RpcClient,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Optional() @Inject(RPC_JOB) private readonly rpcJob?: RpcJob,
  ) {
    this.queueKey = connection.keys.queue();
    this.inProgressKey = connection.keys.inProgress(config.worker.processId);
  }

  /** Starts once the server is live (its RPC client knows the cluster). */
  afterInit(): void {
    this.start();
  }

  /** Stops taking jobs and waits for the running ones; unfinished jobs stay in the in-progress list. */
  async beforeShutdown(): Promise<void> {
    await this.stop();
  }

  async shutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts fetching, polling and reporting (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.blocking = this.connection.duplicate('pitaya-worker-fetch');
    this.loop = this.run();
    this.pollTimer = setInterval(() => {
      this.polling ??= this.pollDue().finally(() => (this.polling = undefined));
    }, this.config.worker.pollInterval);
    this.metricsTimer = setInterval(() => void this.reportMetrics(), this.config.metrics.period);
    this.metricsTimer.unref();
    const { orphans } = this.config.worker;
    void this.beat();
    this.heartbeatTimer = setInterval(() => void this.beat(), Math.max(100, Math.floor(orphans.ttl / 3)));
    this.heartbeatTimer.unref();
    if (orphans.recover) {
      const reap = (): void => {
        this.reaping ??= this.recoverOrphans().finally(() => (this.reaping = undefined));
      };
      reap();
      this.reaperTimer = setInterval(reap, orphans.ttl);
      this.reaperTimer.unref();
    }
    this.log.info({ processId: this.config.worker.processId, queue: this.queueKey, concurrency: this.config.worker.concurrency }, 'worker started');
  }

  /** Stops fetching and polling, then waits for the jobs in progress (idempotent). */
  async stop(): Promise<void> {
    if (!this.running) {
      await this.loop;
      return;
    }
    this.running = false;
    clearInterval(this.pollTimer);
    clearInterval(this.metricsTimer);
    clearInterval(this.heartbeatTimer);
    clearInterval(this.reaperTimer);
    this.slotFreed?.();
    await this.loop;
    await Promise.all(this.active);
    await this.polling;
    await this.reaping;
    // Jobs are finished (or their outcome could not be written): without a heartbeat, a recovering
    // worker may take over whatever is left in the list.
    await this.connection.redis.del(this.connection.keys.heartbeat(this.config.worker.processId)).catch(() => undefined);
    await closeRedis(this.blocking);
    this.blocking = undefined;
    this.log.info({ processId: this.config.worker.processId }, 'worker stopped');
  }

  private async run(): Promise<void> {
    await this.recover();
    while (this.running) {
      await this.freeSlot();
      if (!this.running) break;
      let text: string | null;
      try {
        text = await this.blocking!.brpoplpush(this.queueKey, this.inProgressKey, FETCH_TIMEOUT_S);
      } catch (error) {
        if (!this.running) break;
        this.log.warn({ err: error }, 'worker could not fetch a job');
        await pause(RETRY_PAUSE_MS);
        continue;
      }
      if (text !== null) this.launch(text);
    }
  }

  /** Re-runs the jobs a previous run with this process id had taken (go-workers' `processOldMessages`). */
  private async recover(): Promise<void> {
    let jobs: string[] = [];
    while (this.running) {
      try {
        jobs = await this.connection.redis.lrange(this.inProgressKey, 0, -1);
        break;
      } catch (error) {
        this.log.warn({ err: error }, 'worker could not read its in-progress jobs');
        await pause(RETRY_PAUSE_MS);
      }
    }
    if (jobs.length > 0) this.log.info({ jobs: jobs.length, list: this.inProgressKey }, 'resuming jobs left in progress');
    for (const text of jobs) {
      await this.freeSlot();
      if (!this.running) return;
      this.launch(text);
    }
  }

  private async freeSlot(): Promise<void> {
    while (this.running && this.active.size >= this.config.worker.concurrency) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }

  private launch(text: string): void {
    const task = this.process(text).finally(() => {
      this.active.delete(task);
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
    });
    this.active.add(task);
  }

  private async process(text: string): Promise<void> {
    const job = Job.parse(text);
    const args = job?.get('args');
    const route = args !== null && typeof args === 'object' ? (args as { Route?: unknown }).Route : undefined;
    if (!job || typeof route !== 'string' || route === '') {
      // Retrying cannot fix a job that is not an RPC job: straight to the dead set.
      this.log.error({ job: text.slice(0, 200) }, 'malformed worker job moved to the dead set');
      await this.finish(text, () => this.deadCommands(text, text));
      return;
    }
    let outcome: JobOutcome;
    try {
      await this.execute(job, route, (args as { Metadata?: unknown }).Metadata);
      outcome = 'ok';
      await this.finish(text, () => this.okCommands(text));
    } catch (error) {
      outcome = await this.failed(job, route, error);
    }
    if (outcome !== 'ok') this.log.debug({ jid: job.jid, route, outcome }, 'worker job failed');
  }

  private async execute(job: Job, route: string, metadata: unknown): Promise<void> {
    const meta = metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {};
    const serverId = await this.rpcJob?.serverDiscovery?.(route, meta);
    const options = this.rpcJob?.argReply?.(route) ?? {};
    const argText = rawField(job.raw('args') ?? '{}', 'Arg');
    // Without a protobuf type the argument goes as the job's own JSON bytes: nothing is re-encoded,
    // so integers beyond 2^53 reach the remote intact.
    const body = argText === undefined || argText === 'null'
      ? undefined
      : options.requestType !== undefined ? JSON.parse(argText) as unknown : Buffer.from(argText, 'utf8');
    if (serverId) await this.rpc.callTo(serverId, route, body, options);
    else await this.rpc.call(route, body, options);
  }

  private async failed(job: Job, route: string, error: unknown): Promise<JobOutcome> {
    const message = errorMessage(error);
    const { keys } = this.connection;
    if (job.shouldRetry()) {
      const { json, retryCount } = job.failed(keys.retryQueueName(this.queueName(job)), message);
      const at = nowSeconds() + job.retryDelaySeconds(retryCount);
      this.log.warn({ jid: job.jid, route, retryCount, err: message }, 'worker job failed; retrying later');
      await this.finish(job.original, () => this.connection.redis.multi()
        .zadd(keys.retry, at, json)
        .lrem(this.inProgressKey, -1, job.original)
        .incr(keys.stat('failed')).incr(keys.stat('failed', today())));
      return 'retry';
    }
    if (job.get('retry') === false || job.get('retry') === undefined) {
      // Sidekiq: a job enqueued without retries is discarded when it fails.
      this.log.error({ jid: job.jid, route, err: message }, 'worker job failed and has no retries; discarded');
      await this.finish(job.original, () => this.connection.redis.multi()
        .lrem(this.inProgressKey, -1, job.original)
        .incr(keys.stat('failed')).incr(keys.stat('failed', today())));
      return 'discarded';
    }
    const { json } = job.failed(keys.retryQueueName(this.queueName(job)), message);
    this.log.error({ jid: job.jid, route, err: message }, 'worker job out of retries; moved to the dead set');
    await this.finish(job.original, () => this.deadCommands(job.original, json));
    return 'dead';
  }

  private queueName(job: Job): string {
    return job.queue === '' ? RPC_QUEUE : this.connection.keys.queueOf(job.queue);
  }

  private okCommands(original: string): ReturnType<Redis['multi']> {
    const { keys } = this.connection;
    return this.connection.redis.multi()
      .lrem(this.inProgressKey, -1, original)
      .incr(keys.stat('processed')).incr(keys.stat('processed', today()));
  }

  /** Sidekiq's `kill`: add to `dead` scored by now, trim by age and count. */
  private deadCommands(original: string, json: string): ReturnType<Redis['multi']> {
    const { keys } = this.connection;
    const now = nowSeconds();
    const { maxJobs, timeout } = this.config.worker.dead;
    return this.connection.redis.multi()
      .zadd(keys.dead, now, json)
      .zremrangebyscore(keys.dead, '-inf', now - timeout / 1000)
      .zremrangebyrank(keys.dead, 0, -(maxJobs + 1))
      .lrem(this.inProgressKey, -1, original)
      .incr(keys.stat('failed')).incr(keys.stat('failed', today()));
  }

  /**
   * Records a job's outcome and removes it from the in-progress list in one transaction, retrying
   * while Redis is unreachable: until it succeeds the job stays in progress (and runs again after a
   * restart), it is never lost. Gives up only when the worker stops.
   */
  private async finish(original: string, commands: () => ReturnType<Redis['multi']>): Promise<void> {
    for (;;) {
      try {
        failedInTransaction(await commands().exec());
        return;
      } catch (error) {
        if (!this.running) {
          this.log.warn({ err: error, job: original.slice(0, 200) }, 'worker stopping: job outcome not recorded, it stays in progress');
          return;
        }
        this.log.warn({ err: error }, 'worker could not record a job outcome; retrying');
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** Moves due jobs of `goretry` and `schedule` back to their queues (go-workers' scheduled poller). */
  private async pollDue(): Promise<void> {
    const { keys } = this.connection;
    const redis = this.connection.redis;
    try {
      for (const set of [keys.retry, keys.schedule]) {
        while (this.running) {
          const due = await redis.zrangebyscore(set, '-inf', nowSeconds(), 'LIMIT', 0, POLL_BATCH);
          if (due.length === 0) break;
          for (const text of due) {
            const job = Job.parse(text);
            const target = job ? keys.queue(keys.queueOf(job.queue)) : keys.dead;
            if (job) await redis.eval(MOVE_DUE, 2, set, target, text, job.requeued());
            else await redis.multi().zrem(set, text).zadd(keys.dead, nowSeconds(), text).exec().then(failedInTransaction);
          }
          if (due.length < POLL_BATCH) break;
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'worker could not move due retries');
    }
  }

  private async beat(): Promise<void> {
    const key = this.connection.keys.heartbeat(this.config.worker.processId);
    try {
      await this.connection.redis.set(key, String(Date.now()), 'PX', this.config.worker.orphans.ttl);
    } catch (error) {
      this.log.debug({ err: error }, 'worker heartbeat not written');
    }
  }

  /** Moves the in-progress jobs of workers without a heartbeat back to the queue (`worker.orphans.recover`). */
  private async recoverOrphans(): Promise<void> {
    const { keys } = this.connection;
    const redis = this.connection.redis;
    try {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${this.queueKey}:*:inprogress`, 'COUNT', 100);
        cursor = next;
        for (const list of found) {
          const owner = keys.processOf(list);
          if (owner === undefined || owner === this.config.worker.processId || !this.running) continue;
          const moved = Number(await redis.eval(RECOVER_ORPHANS, 3, list, keys.heartbeat(owner), this.queueKey));
          if (moved > 0) this.log.warn({ owner, jobs: moved }, 'moved the jobs of a worker without a heartbeat back to the queue');
        }
      } while (cursor !== '0' && this.running);
    } catch (error) {
      this.log.warn({ err: error }, 'worker could not look for orphaned jobs');
    }
  }

  /** Pitaya's worker report: totals from go-workers' stats, the retry set's size, the queue's length. */
  private async reportMetrics(): Promise<void> {
    const { keys } = this.connection;
    try {
      const results = await this.connection.redis.multi()
        .get(keys.stat('processed')).get(keys.stat('failed')).zcard(keys.retry).llen(this.queueKey)
        .exec();
      failedInTransaction(results);
      const [processed, failed, retries, size] = results!.map(([, value]) => Number(value ?? 0));
      this.metrics.workerJobsTotal('ok', processed!);
      this.metrics.workerJobsTotal('failed', failed!);
      this.metrics.workerJobsRetry(retries!);
      this.metrics.workerQueueSize(RPC_QUEUE, size!);
    } catch (error) {
      this.log.debug({ err: error }, 'worker metrics not read');
    }
  }
}

function errorMessage(error: unknown): string {
  const text = error instanceof PitayaError ? error.message : error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_MESSAGE ? `${text.slice(0, MAX_ERROR_MESSAGE)}…` : text;
}

/** UTC day of go-workers' daily stats keys. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
