import { injectable } from 'inversify';
import type { Redis } from 'ioredis';
import { Inject, LOGGER, type Logger } from '@pitaya-ts/core';
import type { WorkerConfig } from './worker-config';
import { connectRedis, WorkerKeys } from './worker-redis';
import { WORKER_CONFIG } from './worker-tokens';

/** The command connection to the worker's Redis, shared by the enqueuer and the worker. */
@injectable('Singleton')
export class WorkerConnection {
  readonly keys: WorkerKeys;
  private client: Redis | undefined;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.keys = new WorkerKeys(config.worker.namespace);
  }

  /** The connection, opened on first use (ioredis connects and reconnects on its own). */
  get redis(): Redis {
    this.client ??= connectRedis(this.config, this.log, 'pitaya-worker');
    return this.client;
  }

  /** A second connection for blocking commands (a blocked connection serves nothing else). */
  duplicate(name: string): Redis {
    return connectRedis(this.config, this.log, name);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await closeRedis(client);
  }
}

/** `QUIT` when connected (lets replies in flight arrive), else drop the connection. */
export async function closeRedis(client: Redis | undefined): Promise<void> {
  if (!client) return;
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
