import { injectable } from 'inversify';
import {
  ErrorCode, Inject, PitayaError, SERVER_INFO, type FrontendSession, type Forwarder, type RouteParts, type ServerIdentity,
} from '@pitaya-ts/core';
import { MessageType, type Message } from '@pitaya-ts/protocol';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { MsgType, RPCType } from '../protos/proto-types';
import { Router } from '../router/router';
import { RpcTransportClient } from './rpc-transport';
import { fromProtoError } from './rpc-errors';
import { encodeRequestMetadata } from './rpc-metadata';

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
  ) {}

  async forward(session: FrontendSession, message: Message, route: RouteParts, payload: Uint8Array): Promise<Uint8Array | undefined> {
    const servers = this.discovery.getServersByType(route.serverType);
    if (servers.length === 0) {
      throw new PitayaError(ErrorCode.Internal, 'no servers available of this type', { serverType: route.serverType });
    }
    const server = await this.router.route({ route, session, servers, payload });
    const notify = message.type === MessageType.Notify;
    const fullRoute = message.route;
    const timeoutMs = this.rpc.defaultTimeoutMs;
    const response = await this.rpc.call(server.id, {
      type: RPCType.Sys,
      session: { id: session.id, uid: session.uid ?? '', data: Buffer.from(session.encodedData()) },
      msg: { id: message.id, route: fullRoute, data: payload, type: notify ? MsgType.MsgNotify : MsgType.MsgRequest },
      frontendID: this.self.id,
      metadata: encodeRequestMetadata(this.self, fullRoute, timeoutMs),
    }, timeoutMs);
    if (response.error) throw fromProtoError(response.error);
    return notify ? undefined : response.data;
  }
}
