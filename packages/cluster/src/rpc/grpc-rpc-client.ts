import * as grpc from '@grpc/grpc-js';
import { ErrorCode, Inject, LOGGER, METRICS_REPORTER, PitayaError, SERVER_INFO, type Logger, type MetricsReporter, type PitayaModule, type ServerIdentity } from '@pitaya-ts/core';
import { injectable } from 'inversify';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { SERVICE_DISCOVERY, type ServiceDiscovery, type ServiceDiscoveryListener } from '../discovery/service-discovery';
import { loadPitayaServiceDefinition, type PitayaMethodDefinition, type PitayaServiceDefinition } from '../protos/pitaya-service';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';
import { ServerHealth } from '../router/server-health';
import type { ServerInfo } from '../server-info';
import { grpcAddressOf } from './grpc-address';
import { CLIENT_FLOW_CONTROL_OPTIONS } from './grpc-flow-control';
import { clientCredentials } from './grpc-tls';
import { fromGrpcError } from './rpc-errors';

interface Peer {
  readonly server: ServerInfo;
  readonly address: string;
  readonly client: grpc.Client;
  /** The client's channel, whose call API every RPC uses (see `unary`). */
  readonly channel: grpc.ChannelInterface;
}

/**
 * Every call's (empty) metadata. grpc-js clones a call's metadata before its filters add headers
 * (`ResolvingCall.start`), so one never-mutated instance serves every call.
 */
const NO_METADATA = new grpc.Metadata();
const IGNORE_METADATA = (): void => undefined;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Notice a dead peer within seconds even when no call is running.
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  // A restarted peer at the same address is reconnected within seconds, not after grpc's 2 min cap.
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 5000,
  // Nothing here reads channelz; enabled, it stamps dates and counts on the channel, subchannel and
  // transport for every call.
  'grpc.enable_channelz': 0,
  // Many concurrent replies on one connection must not wait on a 64 KiB window (see grpc-flow-control).
  ...CLIENT_FLOW_CONTROL_OPTIONS,
};

/** How long a probe of a suspect server waits for its channel to connect. */
const PROBE_TIMEOUT_MS = 1000;

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
  private readonly credentials: grpc.ChannelCredentials;
  private readonly channelOptions: grpc.ChannelOptions;
  readonly defaultTimeoutMs: number;

  constructor(
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(CLUSTER_CONFIG) private readonly config: ClusterConfig,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly health: ServerHealth,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
  ) {
    this.defaultTimeoutMs = config.cluster.rpc.client.grpc.requestTimeout;
    const tls = clientCredentials(config.cluster.rpc.client.grpc.tls);
    this.credentials = tls.credentials;
    this.channelOptions = { ...CHANNEL_OPTIONS, ...tls.options };
  }

  init(): void {
    this.health.setProbe((serverId) => this.probe(serverId));
    this.unsubscribe = this.discovery.addListener(this);
    for (const server of this.discovery.getServers()) this.onServerAdded(server);
  }

  shutdown(): void {
    this.health.setProbe(undefined);
    this.health.clear();
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
    const client = new grpc.Client(address, this.credentials, this.channelOptions);
    const channel = client.getChannel();
    if (!this.config.cluster.rpc.client.grpc.lazyConnection) channel.getConnectivityState(true);
    this.peers.set(server.id, { server, address, client, channel });
    this.log.debug({ server: server.id, type: server.type, address }, 'rpc client connected to server');
  }

  onServerRemoved(server: ServerInfo): void {
    const peer = this.peers.get(server.id);
    if (!peer) return;
    this.peers.delete(server.id);
    peer.client.close();
    this.log.debug({ server: server.id, type: server.type }, 'rpc client dropped server');
  }

  /** Whether the channel to `serverId` connects within a second (how a suspect server is let back in). */
  probe(serverId: string): Promise<boolean> {
    const peer = this.peers.get(serverId);
    if (!peer) return Promise.resolve(false);
    return new Promise((resolve) => peer.client.waitForReady(Date.now() + PROBE_TIMEOUT_MS, (error) => resolve(!error)));
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
      // The channel's call API rather than `Client.makeUnaryRequest`: the same call on the wire, minus
      // what the Client wrapper adds to each one and this client never uses (an Error capturing the
      // caller's stack, an EventEmitter, the interceptor chain). On a frontend forwarding every
      // message this is the busiest code of the cluster; its figures are in docs/architecture.md.
      const call = peer.channel.createCall(method.path, Date.now() + timeoutMs, undefined, null, undefined);
      let reply: Res | undefined;
      let received = false;
      call.start(NO_METADATA, {
        onReceiveMetadata: IGNORE_METADATA,
        onReceiveMessage: (message: Buffer) => {
          if (received) {
            call.cancelWithStatus(grpc.status.UNIMPLEMENTED, 'too many responses received');
            return;
          }
          received = true;
          try {
            reply = method.responseDeserialize(message);
          } catch (error) {
            call.cancelWithStatus(grpc.status.INTERNAL, `response message parsing error: ${error instanceof Error ? error.message : String(error)}`);
          }
        },
        onReceiveStatus: (status: grpc.StatusObject) => {
          if (status.code === grpc.status.OK && reply !== undefined) {
            resolve(reply);
            return;
          }
          const code = status.code === grpc.status.OK ? grpc.status.UNIMPLEMENTED : status.code;
          if (code === grpc.status.DEADLINE_EXCEEDED) this.metrics.rpcTimeout(peer.server.type);
          const details = status.code === grpc.status.OK ? 'no response message received' : status.details;
          const error: grpc.ServiceError = Object.assign(new Error(`${code} ${grpc.status[code] ?? ''}: ${details}`), { code, details, metadata: status.metadata });
          reject(fromGrpcError(error, peer.server, route, timeoutMs));
        },
      });
      call.startRead();
      let bytes: Buffer;
      try {
        bytes = method.requestSerialize(argument);
      } catch (error) {
        call.cancelWithStatus(grpc.status.INTERNAL, `request message serialization failure: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      call.sendMessageWithContext({}, bytes);
      call.halfClose();
    });
  }
}
