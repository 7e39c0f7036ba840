import { injectable } from 'inversify';
import { Inject, SERVER_INFO, TRACER, type ServerIdentity, type Tracer } from '@pitaya-ts/core';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { MsgType, RPCType, type PitayaResponse } from '../protos/proto-types';
import { ServerHealth } from '../router/server-health';
import { RpcTransportClient, type RpcTransportKind } from './rpc-transport';
import { fromProtoError } from './rpc-errors';
import { encodeRequestMetadata } from './rpc-metadata';
import { startRpcClientSpan, withSpanCarrier } from './rpc-tracing';

/**
 * Calls a server's remote with raw protobuf bytes as a User RPC and returns the raw reply: what the
 * backend session (`sys.*` remotes) and the typed RPC client are built on.
 */
@injectable('Singleton')
export class SysCaller {
  constructor(
    private readonly rpc: RpcTransportClient,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(TRACER) private readonly tracer: Tracer,
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(CLUSTER_CONFIG) private readonly config: ClusterConfig,
    private readonly health: ServerHealth,
  ) {}

  private get transport(): RpcTransportKind {
    return this.config.cluster.rpc.transport;
  }

  async call(serverId: string, route: string, data: Uint8Array, timeoutMs = this.rpc.defaultTimeoutMs, propagate?: Readonly<Record<string, unknown>>): Promise<Buffer> {
    const serverType = this.discovery.getServer(serverId)?.type;
    const span = this.tracer.enabled
      ? startRpcClientSpan(this.tracer, this.self, { id: serverId, type: serverType ?? '' }, this.transport)
      : undefined;
    let response: PitayaResponse;
    try {
      response = await this.rpc.call(serverId, {
        type: RPCType.User,
        msg: { route, data, type: MsgType.MsgRequest },
        frontendID: this.self.frontend ? this.self.id : '',
        metadata: encodeRequestMetadata(this.self, route, timeoutMs, span ? withSpanCarrier(span, propagate) : propagate),
      }, timeoutMs);
    } catch (error) {
      this.health.failed({ id: serverId, type: serverType ?? serverTypeOf(route) }, error);
      span?.end(error);
      throw error;
    }
    this.health.succeeded(serverId);
    if (response.error) {
      const error = fromProtoError(response.error);
      span?.end(error);
      throw error;
    }
    span?.end();
    return response.data;
  }
}

// The metric label when discovery no longer knows the server: the route's server type (`room` of `room.room.leave`).
function serverTypeOf(route: string): string {
  const dot = route.indexOf('.');
  return dot > 0 ? route.slice(0, dot) : '';
}
