import type { PitayaModule } from '@pitaya-ts/core';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';

/** The RPC transports a cluster can use (`cluster.rpc.transport`): Pitaya's two. */
export type RpcTransportKind = 'grpc' | 'nats';

/**
 * The client half of the cluster's RPC transport (Pitaya's `RPCClient`): the forwarder, user RPCs,
 * backend sessions, pushes/kicks by uid and unique sessions call servers only through it, so gRPC
 * and NATS are interchangeable. Both carry Pitaya's `protos` messages unchanged. Also the container
 * token: `ClusterModule` binds it to {@link GrpcRpcClient} or `NatsRpcClient` from the configuration.
 */
export abstract class RpcTransportClient implements PitayaModule {
  /** Connects (NATS) or starts watching discovery (gRPC). */
  init?(): void | Promise<void>;
  shutdown?(): void | Promise<void>;
  /** Deadline of a call when the caller gives none (`cluster.rpc.client.<transport>.requestTimeout`). */
  abstract readonly defaultTimeoutMs: number;
  /** `Pitaya.Call` on a server. Application errors come back inside the response; transport errors reject. */
  abstract call(serverId: string, request: ProtoInit<PitayaRequest>, timeoutMs?: number): Promise<PitayaResponse>;
  /** Delivers a push to user `push.uid` on frontend `serverId`. */
  abstract pushToUser(serverId: string, push: ProtoInit<ProtoPush>, timeoutMs?: number): Promise<PitayaResponse>;
  /** Tells frontend `serverId` (NATS: every frontend of its type) that `message.uid` bound on `message.fid`. */
  abstract sessionBindRemote(serverId: string, message: ProtoInit<BindMsg>, timeoutMs?: number): Promise<PitayaResponse>;
  /** Kicks user `message.userId` from frontend `serverId`. */
  abstract kickUser(serverId: string, message: ProtoInit<KickMsg>, timeoutMs?: number): Promise<KickAnswer>;
  /**
   * Pitaya's `BroadcastSessionBind` where the transport can address every frontend of this server's
   * type at once (NATS: the bindings subject), so unique sessions need no binding storage — as a Go
   * frontend on NATS expects. Absent (gRPC): the previous frontend is found in the binding storage.
   */
  broadcastSessionBind?(uid: string): Promise<void>;
}

/** The server half of the cluster's RPC transport (Pitaya's `RPCServer`); bound like {@link RpcTransportClient}. */
export abstract class RpcTransportServer implements PitayaModule {
  /** Starts serving. */
  init?(): void | Promise<void>;
  shutdown?(): void | Promise<void>;
  /** Metadata this server advertises through service discovery so peers can reach it (gRPC: its address). */
  abstract readonly advertisedMetadata: Record<string, string>;
}
