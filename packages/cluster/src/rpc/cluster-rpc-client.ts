import { injectable } from 'inversify';
import { ErrorCode, Inject, Optional, PitayaError, PROTOBUF_SERIALIZER, SERVER_INFO, type ProtobufSerializer, type RpcCallOptions, type RpcClient, type ServerIdentity } from '@pitaya-ts/core';
import { parseRoute } from '@pitaya-ts/core/internal';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { randomServer } from '../router/router';
import { ServerHealth } from '../router/server-health';
import { SysCaller } from './sys-caller';

/**
 * User RPCs to `@Remote` methods of other servers (`app.rpc()`, injectable as `RPC_CLIENT`), with
 * Go Pitaya's rules: the route needs a server type, and a call that could run locally (own type
 * without a server id, or own id) is refused. Arguments: bytes as they are, protobufjs messages or
 * objects with `requestType` as protobuf, anything else as JSON. Replies: decoded with
 * `responseType`, else parsed as JSON, else returned as bytes.
 */
@injectable('Singleton')
export class ClusterRpcClient implements RpcClient {
  constructor(
    private readonly caller: SysCaller,
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    private readonly health: ServerHealth,
    @Optional() @Inject(PROTOBUF_SERIALIZER) private readonly protobuf?: ProtobufSerializer,
  ) {}

  async call<T = unknown>(route: string, arg?: unknown, options: RpcCallOptions = {}): Promise<T> {
    const { serverType } = this.checkRoute(route);
    if (serverType === this.self.type) throw nonsense();
    const servers = this.discovery.getServersByType(serverType);
    if (servers.length === 0) throw new PitayaError(ErrorCode.Internal, 'no servers available of this type', { serverType });
    return this.send<T>(randomServer(this.health.available(servers)).id, route, arg, options);
  }

  async callTo<T = unknown>(serverId: string, route: string, arg?: unknown, options: RpcCallOptions = {}): Promise<T> {
    this.checkRoute(route);
    if (serverId === this.self.id) throw nonsense();
    if (!this.discovery.getServer(serverId)) {
      throw new PitayaError(ErrorCode.Internal, "can't find any server with the provided ID", { server: serverId });
    }
    return this.send<T>(serverId, route, arg, options);
  }

  private checkRoute(route: string): { serverType: string } {
    const parts = parseRoute(route);
    if (!parts.serverType) {
      throw new PitayaError(ErrorCode.Internal, 'no server type chosen for sending RPC, send a full route in the format server.service.component');
    }
    return parts;
  }

  private async send<T>(serverId: string, route: string, arg: unknown, options: RpcCallOptions): Promise<T> {
    const reply = await this.caller.call(serverId, route, this.encode(arg, options.requestType), options.timeoutMs, options.propagate);
    return this.decode(reply, options.responseType) as T;
  }

  private encode(arg: unknown, requestType: string | undefined): Uint8Array {
    if (arg === undefined) return new Uint8Array(0);
    if (arg instanceof Uint8Array) return arg;
    const isProtoMessage = typeof (arg as { $type?: unknown } | null)?.$type === 'object';
    if (isProtoMessage || requestType !== undefined) return this.requireProtobuf().encode(arg, requestType);
    return Buffer.from(JSON.stringify(arg), 'utf8');
  }

  private decode(reply: Buffer, responseType: string | undefined): unknown {
    if (responseType !== undefined) return this.requireProtobuf().decode(reply, responseType);
    if (reply.length === 0) return undefined;
    try {
      return JSON.parse(reply.toString('utf8'));
    } catch {
      return reply;
    }
  }

  private requireProtobuf(): ProtobufSerializer {
    if (!this.protobuf) {
      throw new PitayaError(ErrorCode.Internal, 'protobuf RPC arguments need protobuf definitions: set the protobuf option of Pitaya.create');
    }
    return this.protobuf;
  }
}

function nonsense(): PitayaError {
  return new PitayaError(
    ErrorCode.Unknown,
    'you are making a rpc that may be processed locally, either specify a different server type or specify a server id',
  );
}
