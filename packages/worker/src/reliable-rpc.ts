import { injectable } from 'inversify';
import { ErrorCode, Inject, PitayaError } from '@pitaya-ts/core';
import { parseRoute } from '@pitaya-ts/core/internal';
import { encodeJob, encodeRpcArgs, newJid, nowSeconds, RPC_QUEUE, type RetryPolicy } from './job';
import type { WorkerConfig } from './worker-config';
import { WorkerConnection } from './worker-connection';
import { WORKER_CONFIG } from './worker-tokens';

/** Options of {@link ReliableRpc.reliableRpc}. */
export interface ReliableRpcOptions {
  /** Pitaya's RPC metadata, stored in the job and given to the worker's `serverDiscovery`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** This job's retry policy; unset fields come from `worker.retry.*`. */
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * Pitaya's `ReliableRPC`: enqueues a user RPC as a job in Redis (go-workers layout) and resolves
 * with its job id once Redis has it. A worker process (`WorkerModule.forRoot({ worker: true })`,
 * Go or pitaya-ts) executes it later, retrying with backoff until it succeeds or runs out of
 * retries, so the call happens even if this server, the worker or the target dies meanwhile.
 * **The remote must be idempotent**: a job can run more than once (a worker killed after the
 * remote answered runs it again). The reply is never returned to the caller, as in Pitaya.
 */
@injectable('Singleton')
export class ReliableRpc {
  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    private readonly connection: WorkerConnection,
  ) {}

  /**
   * Enqueues `route` (`serverType.service.method`) with `body` (JSON-serialisable: it is stored as
   * JSON, the way Go stores the protobuf argument's struct) and resolves with the job id (`jid`).
   * Rejects when the route has no server type, the body cannot be stored, or Redis is unreachable.
   */
  async reliableRpc(route: string, body?: unknown, options: ReliableRpcOptions = {}): Promise<string> {
    if (!parseRoute(route).serverType) {
      throw new PitayaError(ErrorCode.Internal, 'no server type chosen for sending RPC, send a full route in the format server.service.component');
    }
    if (body instanceof Uint8Array) {
      throw new PitayaError(ErrorCode.Internal, 'reliableRpc stores its argument as JSON: pass an object, not bytes');
    }
    const retry = { ...this.config.worker.retry, ...options.retry };
    for (const key of ['max', 'exponential', 'minDelay', 'maxDelay', 'maxRandom'] as const) {
      // Go reads these as ints: anything else would make the job unreadable by a Go worker.
      if (!Number.isSafeInteger(retry[key]) || retry[key] < 0) {
        throw new PitayaError(ErrorCode.Internal, `reliableRpc retry.${key} must be a non-negative integer`, { [key]: String(retry[key]) });
      }
    }
    const jid = newJid();
    let json: string;
    try {
      const argJson = body === undefined ? 'null' : JSON.stringify(body);
      if (argJson === undefined) throw new Error(`${typeof body} has no JSON form`);
      json = encodeJob({ argsJson: encodeRpcArgs(route, options.metadata, argJson), jid, enqueuedAt: nowSeconds(), retry });
    } catch (error) {
      throw new PitayaError(ErrorCode.Internal, `reliableRpc argument or metadata is not JSON-serialisable: ${(error as Error).message}`);
    }
    const { keys, redis } = this.connection;
    await redis.multi().sadd(keys.queues, RPC_QUEUE).lpush(keys.queue(), json).exec().then(failedInTransaction);
    return jid;
  }
}

/** `exec()` resolves with per-command errors instead of rejecting: surface the first. */
export function failedInTransaction(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new PitayaError(ErrorCode.Internal, 'redis transaction aborted');
  for (const [error] of results) if (error) throw error;
}
