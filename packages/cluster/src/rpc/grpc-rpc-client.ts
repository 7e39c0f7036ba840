import * as grpc from '@grpc/grpc-js';
import { ErrorCode, Inject, LOGGER, PitayaError, SERVER_INFO, type Logger, type PitayaModule, type ServerIdentity } from '@pitaya-ts/core';
import { injectable } from 'inversify';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { SERVICE_DISCOVERY, type ServiceDiscovery, type ServiceDiscoveryListener } from '../discovery/service-discovery';
import { loadPitayaServiceDefinition, type PitayaMethodDefinition, type PitayaServiceDefinition } from '../protos/pitaya-service';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';
import type { ServerInfo } from '../server-info';
import { grpcAddressOf } from './grpc-address';
import { fromGrpcError } from './rpc-errors';

interface Peer {
  readonly server: ServerInfo;
  readonly address: string;
  readonly client: grpc.Client;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Notice a dead peer within seconds even when no call is running.
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

/**
 * gRPC client to every discovered server (Pitaya's `GRPCClient`): one channel per server, opened
 * when service discovery reports it (eagerly unless `lazyConnection`) and closed when it goes, and
 * a deadline on every call. Addresses come from the `grpcHost`/`grpcPort` metadata each server
 * advertises.
 */
@injectable('Singleton')
export class GrpcRpcClient implements PitayaModule, ServiceDiscoveryListener {
  private readonly peers = new Map<string, Peer>();
  private readonly definition: PitayaServiceDefinition = loadPitayaServiceDefinition();
  private unsubscribe: (() => void) | undefined;
  readonly defaultTimeoutMs: number;

  constructor(
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(CLUSTER_CONFIG) private readonly config: ClusterConfig,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.defaultTimeoutMs = config.cluster.rpc.client.grpc.requestTimeout;
  }

  init(): void {
    this.unsubscribe = this.discovery.addListener(this);
    for (const server of this.discovery.getServers()) this.onServerAdded(server);
  }

  shutdown(): void {
    this.unsubscribe?.();
    for (const peer of this.peers.values()) peer.client.close();
    this.peers.clear();
  }

  onServerAdded(server: ServerInfo): void {
    if (server.id === this.self.id) return;
    const address = grpcAddressOf(server, this.config.cluster.info.region);
    if (!address) {
      this.log.warn({ server: server.id, type: server.type }, 'server advertises no grpcHost/grpcPort: it cannot be called');
      return;
    }
    const existing = this.peers.get(server.id);
    if (existing?.address === address) {
      this.peers.set(server.id, { ...existing, server });
      return;
    }
    existing?.client.close();
    const client = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    if (!this.config.cluster.rpc.client.grpc.lazyConnection) client.getChannel().getConnectivityState(true);
    this.peers.set(server.id, { server, address, client });
    this.log.debug({ server: server.id, type: server.type, address }, 'rpc client connected to server');
  }

  onServerRemoved(server: ServerInfo): void {
    const peer = this.peers.get(server.id);
    if (!peer) return;
    this.peers.delete(server.id);
    peer.client.close();
    this.log.debug({ server: server.id, type: server.type }, 'rpc client dropped server');
  }

  /** True when a channel to `serverId` exists. */
  has(serverId: string): boolean {
    return this.peers.has(serverId);
  }

  /** `Pitaya.Call` on a server. Application errors come back inside the response; transport errors reject. */
  call(serverId: string, request: ProtoInit<PitayaRequest>, timeoutMs = this.defaultTimeoutMs): Promise<PitayaResponse> {
    return this.unary(this.definition.Call, serverId, request, timeoutMs, request.msg?.route ?? '');
  }

  pushToUser(serverId: string, push: ProtoInit<ProtoPush>, timeoutMs = this.defaultTimeoutMs): Promise<PitayaResponse> {
    return this.unary(this.definition.PushToUser, serverId, push, timeoutMs, 'PushToUser');
  }

  sessionBindRemote(serverId: string, message: ProtoInit<BindMsg>, timeoutMs = this.defaultTimeoutMs): Promise<PitayaResponse> {
    return this.unary(this.definition.SessionBindRemote, serverId, message, timeoutMs, 'SessionBindRemote');
  }

  kickUser(serverId: string, message: ProtoInit<KickMsg>, timeoutMs = this.defaultTimeoutMs): Promise<KickAnswer> {
    return this.unary(this.definition.KickUser, serverId, message, timeoutMs, 'KickUser');
  }

  private unary<Req, Res>(method: PitayaMethodDefinition<Req, Res>, serverId: string, argument: ProtoInit<Req>, timeoutMs: number, route: string): Promise<Res> {
    const peer = this.peers.get(serverId);
    if (!peer) {
      return Promise.reject(new PitayaError(ErrorCode.Internal, 'rpc client has no connection to the chosen server', { server: serverId, route }));
    }
    return new Promise<Res>((resolve, reject) => {
      peer.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        argument,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          if (error) reject(fromGrpcError(error, peer.server, route, timeoutMs));
          else resolve(response!);
        },
      );
    });
  }
}
