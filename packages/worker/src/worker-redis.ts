// ioredis 6 (engines: node >= 20): MULTI, Lua scripts, reconnects on its own; blocking commands
// run on a second connection. Chosen over node-redis for its mature reconnect/offline handling.
import { Redis } from 'ioredis';
import type { Logger } from '@pitaya-ts/core';
import { RPC_QUEUE } from './job';
import { redisAddress, type WorkerConfig } from './worker-config';

/** The Redis keys of go-workers v1.2.1 for one namespace (`<ns>:` prefix when set). */
export class WorkerKeys {
  readonly prefix: string;

  constructor(namespace: string) {
    this.prefix = namespace === '' ? '' : `${namespace}:`;
  }

  /** Set of known queue names (`SADD <ns>queues rpc` on every enqueue). */
  get queues(): string {
    return `${this.prefix}queues`;
  }

  /** The queue list: producers `LPUSH`, workers `BRPOPLPUSH` from the right (FIFO). */
  queue(name: string = RPC_QUEUE): string {
    return `${this.prefix}queue:${name}`;
  }

  /** Jobs a worker process has taken and not finished; taken over by the same process id after a crash. */
  inProgress(processId: string, name: string = RPC_QUEUE): string {
    return `${this.queue(name)}:${processId}:inprogress`;
  }

  /** Sorted set of failed jobs by the time of their next attempt (go-workers' `goretry`, not Sidekiq's `retry`). */
  get retry(): string {
    return `${this.prefix}goretry`;
  }

  /** Sorted set of jobs enqueued for later (`EnqueueAt`). */
  get schedule(): string {
    return `${this.prefix}schedule`;
  }

  /** Sidekiq's dead set: jobs out of retries or that can never run. go-workers drops them instead. */
  get dead(): string {
    return `${this.prefix}dead`;
  }

  /** pitaya-ts: a worker process's heartbeat (expires when it stops refreshing it). */
  heartbeat(processId: string): string {
    return `${this.prefix}pitaya-ts:worker:${processId}`;
  }

  /** The process id of an in-progress list key, or undefined when `key` is not one. */
  processOf(inProgressKey: string, name: string = RPC_QUEUE): string | undefined {
    const head = `${this.queue(name)}:`;
    const tail = ':inprogress';
    if (!inProgressKey.startsWith(head) || !inProgressKey.endsWith(tail) || inProgressKey.length <= head.length + tail.length) return undefined;
    return inProgressKey.slice(head.length, -tail.length);
  }

  /** go-workers' stats counters: `stat:processed` / `stat:failed` and the same per UTC day. */
  stat(metric: 'processed' | 'failed', day?: string): string {
    return day === undefined ? `${this.prefix}stat:${metric}` : `${this.prefix}stat:${metric}:${day}`;
  }

  /** The queue name stored in a retried job (go-workers writes the namespaced name, `<ns>rpc`). */
  retryQueueName(name: string = RPC_QUEUE): string {
    return `${this.prefix}${name}`;
  }

  /** The queue a scheduled or retried job returns to: its `queue` field without the namespace. */
  queueOf(storedQueue: string): string {
    const name = storedQueue.startsWith(this.prefix) ? storedQueue.slice(this.prefix.length) : storedQueue;
    return name === '' ? RPC_QUEUE : name;
  }
}

/** Opens an ioredis connection to `worker.redis.*`, logging connection trouble once per outage. */
export function connectRedis(config: WorkerConfig, log: Logger, name: string): Redis {
  const { host, port } = redisAddress(config.worker.redis.serverUrl);
  const client = new Redis({
    host,
    port,
    password: config.worker.redis.password === '' ? undefined : config.worker.redis.password,
    connectionName: name,
    lazyConnect: true,
    // A command waits through a few reconnect attempts (~0.3 s), then fails: an enqueue must not
    // hang while Redis is away, and the worker's loops retry on their own.
    maxRetriesPerRequest: 3,
  });
  let healthy = true;
  client.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    log.warn({ err: error, redis: `${host}:${port}`, connection: name }, 'worker redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!healthy) log.info({ redis: `${host}:${port}`, connection: name }, 'worker redis connection back');
    healthy = true;
  });
  return client;
}
