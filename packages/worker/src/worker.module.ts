import { injectable } from 'inversify';
import { CONFIG_SOURCE, ConfigSource, Inject, Module, ModuleRegistry, type DynamicModule, type OnAfterInit, type OnShutdown, type Provider, type Type } from '@pitaya-ts/core';
import { ReliableRpc } from './reliable-rpc';
import { RpcWorker } from './rpc-worker';
import { resolveWorkerConfig, type WorkerConfig, type WorkerConfigInput } from './worker-config';
import { WorkerConnection } from './worker-connection';
import { RPC_JOB, WORKER_CONFIG, type RpcJob } from './worker-tokens';

/** Options of `WorkerModule.forRoot()`. */
export interface WorkerModuleOptions {
  /** Pitaya's `worker.*` keys (`worker.redis.serverUrl`, `worker.namespace`, `worker.retry.*`, …); `PITAYA_*` variables override them. */
  readonly config?: WorkerConfigInput;
  /**
   * Run a worker in this server (Pitaya's `StartWorker()` + `RegisterRPCJob()`): it executes the
   * queued jobs. Without it the server only enqueues (`ReliableRpc`). Default false.
   */
  readonly worker?: boolean;
  /**
   * How jobs are routed and typed (Go's `RPCJob`); constructed by the container inside this module,
   * so its constructor may inject framework tokens and exports of global modules.
   */
  readonly rpcJob?: Type<RpcJob>;
  /** Environment used for `PITAYA_*` overrides (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Registers the worker as the Pitaya module `worker`, after the cluster's modules, and closes Redis last. */
@injectable('Singleton')
class WorkerBootstrap implements OnAfterInit, OnShutdown {
  constructor(
    private readonly modules: ModuleRegistry,
    private readonly connection: WorkerConnection,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig & { readonly startWorker: boolean },
    private readonly worker: RpcWorker,
  ) {}

  onAfterInit(): void {
    if (this.config.startWorker) this.modules.register('worker', this.worker);
  }

  async onShutdown(): Promise<void> {
    await this.worker.stop();
    await this.connection.close();
  }
}

/**
 * Pitaya's reliable RPC on Redis. Every server importing it can inject {@link ReliableRpc} and
 * enqueue jobs; servers given `worker: true` also execute them as user RPCs through `RPC_CLIENT`
 * (so import it together with `ClusterModule`, any RPC transport). Jobs use go-workers' Redis
 * layout, so Go Pitaya workers and pitaya-ts workers process each other's jobs.
 *
 * @example
 * ```ts
 * @Module({ imports: [ClusterModule.forRoot({ … }), WorkerModule.forRoot({ config: { worker: { redis: { serverUrl: '127.0.0.1:6379' } } } })] })
 * class ShopModule {}
 * // in a handler:  await this.reliable.reliableRpc('inventory.items.grant', { uid, item });   // must be idempotent
 * ```
 */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        provide: WORKER_CONFIG,
        // The application's configuration file and environment (CONFIG_SOURCE) apply; `env` (tests) replaces the environment.
        useFactory: (source: ConfigSource) => ({
          ...resolveWorkerConfig(options.config, options.env ? new ConfigSource(options.env, source?.file) : source ?? process.env),
          startWorker: options.worker === true,
        }),
        inject: [CONFIG_SOURCE],
      },
      WorkerConnection, ReliableRpc, RpcWorker, WorkerBootstrap,
    ];
    if (options.rpcJob) providers.push(options.rpcJob, { provide: RPC_JOB, useExisting: options.rpcJob });
    return { module: WorkerModule, providers, exports: [ReliableRpc, WORKER_CONFIG] };
  }
}
