/**
 * `@pitaya-ts/worker`: Pitaya's reliable RPC. `ReliableRpc.reliableRpc()` enqueues a user RPC in
 * Redis in go-workers/Sidekiq layout; a worker (`WorkerModule.forRoot({ worker: true })`) executes
 * it with retries and backoff. Remotes called this way must be idempotent.
 */
export { WorkerModule, type WorkerModuleOptions } from './worker.module';
export { ReliableRpc, type ReliableRpcOptions } from './reliable-rpc';
export { RpcWorker } from './rpc-worker';
export { WorkerConnection } from './worker-connection';
export { RPC_JOB, WORKER_CONFIG, type RpcJob } from './worker-tokens';
export { resolveWorkerConfig, WORKER_CONFIG_KEYS, type WorkerConfig, type WorkerConfigInput } from './worker-config';
export { WorkerKeys } from './worker-redis';
export { encodeJob, encodeRpcArgs, Job, newJid, RPC_CLASS, RPC_QUEUE, type RetryPolicy, type RpcJobArgs } from './job';
