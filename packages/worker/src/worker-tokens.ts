import type { RpcCallOptions } from '@pitaya-ts/core';

/** Token of the resolved {@link WorkerConfig}. */
export const WORKER_CONFIG = Symbol.for('pitaya-ts:WorkerConfig');
/** Token of the application's {@link RpcJob} (optional). */
export const RPC_JOB = Symbol.for('pitaya-ts:RpcJob');

/**
 * How a worker executes an RPC job: Go Pitaya's `RPCJob` (`ServerDiscovery`, `GetArgReply`). Every
 * method is optional; without one the job goes to any server of the route's type with its argument
 * as JSON, which is what a pitaya-ts remote without protobuf types expects.
 */
export interface RpcJob {
  /** The server to call, from the route and the metadata given at enqueue; `undefined` or `''` = any server of the type. */
  serverDiscovery?(route: string, metadata: Readonly<Record<string, unknown>>): string | undefined | Promise<string | undefined>;
  /**
   * Protobuf types of the route's argument and reply (Go's `GetArgReply`): with `requestType` the
   * job's JSON argument is encoded as that protobuf message, as a Go remote needs.
   */
  argReply?(route: string): Pick<RpcCallOptions, 'requestType' | 'responseType' | 'timeoutMs'> | undefined;
}
