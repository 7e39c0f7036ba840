import { injectable } from 'inversify';
import { ErrorCode, Inject, PitayaError, SERVER_INFO, TRACER, type FrontendSession, type ServerIdentity, type Tracer } from '@pitaya-ts/core';
import { type Forwarder, type RouteParts } from '@pitaya-ts/core/internal';
import { MessageType, type Message } from '@pitaya-ts/protocol';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { MsgType, RPCType, type PitayaResponse } from '../protos/proto-types';
import { Router } from '../router/router';
import { ServerHealth } from '../router/server-health';
import { RpcTransportClient, type RpcTransportKind } from './rpc-transport';
import { fromProtoError } from './rpc-errors';
import { encodeRequestMetadata } from './rpc-metadata';
import { startRpcClientSpan, withSpanCarrier } from './rpc-tracing';

/**
 * Forwards a client message whose route names another server type (Pitaya's Sys RPC): the router
 * picks a server, the message goes with the session (id, uid, data), and the reply or
 * error comes back to the client with its original message id and code. The RPC transport (gRPC or
 * NATS) is whichever `cluster.rpc.transport` selects.
 */
@injectable('Singleton')
export class RemoteForwarder implements Forwarder {
  constructor(
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    private readonly router: Router,
    private readonly rpc: RpcTransportClient,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(TRACER) private readonly tracer: Tracer,
    @Inject(CLUSTER_CONFIG) private readonly config: ClusterConfig,
    private readonly health: ServerHealth,
  ) {}

  private get transport(): RpcTransportKind {
    return this.config.cluster.rpc.transport;
  }

  async forward(session: FrontendSession, message: Message, route: RouteParts, payload: Uint8Array): Promise<Uint8Array | undefined> {
    const servers = this.discovery.getServersByType(route.serverType);
    if (servers.length === 0) {
      throw new PitayaError(ErrorCode.Internal, 'no servers available of this type', { serverType: route.serverType });
    }
    // Servers whose channel just failed are skipped while the type has healthy ones (see ServerHealth).
    const server = await this.router.route({ route, session, servers: this.health.available(servers), payload });
    const notify = message.type === MessageType.Notify;
    const fullRoute = message.route;
    const timeoutMs = this.rpc.defaultTimeoutMs;
    const span = this.tracer.enabled ? startRpcClientSpan(this.tracer, this.self, server, this.transport) : undefined;
    let response: PitayaResponse;
    try {
      response = await this.rpc.call(server.id, {
        type: RPCType.Sys,
        // The session data's bytes are cached with its JSON (SessionData.encodedDataBytes): no copy per request.
        session: { id: session.id, uid: session.uid ?? '', data: session.encodedDataBytes() },
        msg: { id: message.id, route: fullRoute, data: payload, type: notify ? MsgType.MsgNotify : MsgType.MsgRequest },
        frontendID: this.self.id,
        metadata: encodeRequestMetadata(this.self, fullRoute, timeoutMs, span && withSpanCarrier(span)),
      }, timeoutMs);
    } catch (error) {
      this.health.failed(server, error);
      span?.end(error);
      throw error;
    }
    this.health.succeeded(server.id);
    if (response.error) {
      const error = fromProtoError(response.error);
      span?.end(error);
      throw error;
    }
    span?.end();
    return notify ? undefined : response.data;
  }
}
