import { injectable } from 'inversify';
import { ErrorCode, PitayaError } from '../errors/pitaya-error';

/** Per-call options of a user RPC. */
export interface RpcCallOptions {
  /** Deadline of this call (Pitaya's per-request `reqTimeout`); default `cluster.rpc.client.grpc.requestTimeout`. */
  readonly timeoutMs?: number;
  /** Protobuf type of the argument (when it is a plain object and the remote takes protobuf). */
  readonly requestType?: string;
  /** Protobuf type to decode the reply with; without it the reply is parsed as JSON. */
  readonly responseType?: string;
  /** Values propagated to the remote's context (Pitaya's `AddToPropagateCtx`). */
  readonly propagate?: Readonly<Record<string, unknown>>;
}

/**
 * Calls `@Remote` methods on other servers (Pitaya's user RPCs). Routes are `serverType.service.method`.
 * Errors reject as `PitayaError` with the remote's code, message and metadata.
 */
export interface RpcClient {
  /** Calls a server of the route's type chosen by the router. */
  call<T = unknown>(route: string, arg?: unknown, options?: RpcCallOptions): Promise<T>;
  /** Calls one server by id. */
  callTo<T = unknown>(serverId: string, route: string, arg?: unknown, options?: RpcCallOptions): Promise<T>;
}

/** Standalone mode: there is no cluster to call. */
@injectable('Singleton')
export class StandaloneRpcClient implements RpcClient {
  call<T>(): Promise<T> {
    return Promise.reject(new PitayaError(ErrorCode.Internal, 'RPC server is not running: user RPCs need cluster mode (import ClusterModule)'));
  }

  callTo<T>(): Promise<T> {
    return this.call<T>();
  }
}
