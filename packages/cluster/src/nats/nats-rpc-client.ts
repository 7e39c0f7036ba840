import { injectable } from 'inversify';
import {
  ErrorCode, Inject, LOGGER, METRICS_REPORTER, PitayaError, SERVER_INFO,
  type Logger, type MetricsReporter, type ServerIdentity,
} from '@pitaya-ts/core';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { decodeResponse, encodeBindMsg, encodeKickMsg, encodePush, encodeRequest } from '../protos/pitaya-codecs';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';
import { ServerUnreachableError } from '../rpc/rpc-errors';
import type { RpcTransportClient } from '../rpc/rpc-transport';
import { NatsLink, NatsRequestError } from './nats-link';
import { NatsSubject } from './nats-subjects';

const ACK: PitayaResponse = { data: Buffer.from('ack') };
const KICKED: KickAnswer = { kicked: true };

/**
 * Pitaya's `NatsRPCClient`: a call is a NATS request on `pitaya/servers/<type>/<id>` carrying the
 * `protos.Request` and answered with a `protos.Response` on the reply inbox; pushes, kicks and
 * unique-session notices are plain publishes on the user's push/kick subjects and the type's
 * bindings subject, as a Go frontend expects. A deadline answers PIT-408 (counted as `rpcTimeout`),
 * a server that is gone or a NATS outage PIT-500 at once.
 */
@injectable('Singleton')
export class NatsRpcClient implements RpcTransportClient {
  readonly defaultTimeoutMs: number;
  private readonly link: NatsLink;

  constructor(
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(CLUSTER_CONFIG) config: ClusterConfig,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) log: Logger,
  ) {
    const nats = config.cluster.rpc.client.nats;
    this.defaultTimeoutMs = nats.requestTimeout;
    this.link = new NatsLink(`${self.type}/${self.id}/rpc-client`, nats, log);
  }

  /** Connected to NATS right now (readiness). */
  get connected(): boolean {
    return this.link.connected;
  }

  init(): Promise<void> {
    return this.link.open();
  }

  shutdown(): Promise<void> {
    return this.link.close();
  }

  async call(serverId: string, request: ProtoInit<PitayaRequest>, timeoutMs = this.defaultTimeoutMs): Promise<PitayaResponse> {
    const server = this.serverOf(serverId);
    const route = request.msg?.route ?? '';
    try {
      return decodeResponse(await this.link.request(NatsSubject.server(server.type, server.id), encodeRequest(request), timeoutMs));
    } catch (error) {
      if (!(error instanceof NatsRequestError)) throw error;
      if (error.failure === 'timeout') {
        this.metrics.rpcTimeout(server.type);
        throw new PitayaError(ErrorCode.RequestTimeout, 'rpc client: request timeout', { timeout: `${timeoutMs}ms`, route, server: server.id });
      }
      // No responders: the server is gone from the bus; the router routes around it (ServerHealth).
      if (error.failure === 'no-responders') {
        throw new ServerUnreachableError(server.id, `rpc client: server ${server.type} ${server.id} is unavailable (no responders)`, { route, server: server.id });
      }
      const why = error.failure === 'disconnected' ? 'nats is not connected' : error.message;
      throw new PitayaError(ErrorCode.Internal, `rpc client: server ${server.type} ${server.id} is unavailable (${why})`, { route, server: server.id });
    }
  }

  async pushToUser(serverId: string, push: ProtoInit<ProtoPush>): Promise<PitayaResponse> {
    const type = this.serverOf(serverId).type;
    return this.publish(NatsSubject.userPush(type, push.uid ?? ''), encodePush(push), ACK);
  }

  async kickUser(serverId: string, message: ProtoInit<KickMsg>): Promise<KickAnswer> {
    const type = this.serverOf(serverId).type;
    return this.publish(NatsSubject.userKick(type, message.userId ?? ''), encodeKickMsg(message), KICKED);
  }

  /** Pitaya's `BroadcastSessionBind`: every frontend of the type hears it, not only `serverId`. */
  async sessionBindRemote(serverId: string, message: ProtoInit<BindMsg>): Promise<PitayaResponse> {
    const type = this.serverOf(serverId).type;
    return this.publish(NatsSubject.bindings(type), encodeBindMsg(message), ACK);
  }

  async broadcastSessionBind(uid: string): Promise<void> {
    this.publish(NatsSubject.bindings(this.self.type), encodeBindMsg({ uid, fid: this.self.id }), undefined);
  }

  private publish<T>(subject: string, data: Uint8Array, answer: T): T {
    if (!this.link.publish(subject, data)) throw new PitayaError(ErrorCode.Internal, 'rpc client: nats is not connected');
    return answer;
  }

  private serverOf(serverId: string): { readonly type: string; readonly id: string } {
    if (serverId === this.self.id) return this.self;
    const server = this.discovery.getServer(serverId);
    if (!server) throw new PitayaError(ErrorCode.Internal, `rpc client has no connection to the chosen server ${serverId}`, { server: serverId });
    return server;
  }
}
