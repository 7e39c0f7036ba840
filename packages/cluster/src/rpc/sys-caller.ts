import { injectable } from 'inversify';
import { Inject, SERVER_INFO, type ServerIdentity } from '@pitaya-ts/core';
import { MsgType, RPCType } from '../protos/proto-types';
import { RpcTransportClient } from './rpc-transport';
import { fromProtoError } from './rpc-errors';
import { encodeRequestMetadata } from './rpc-metadata';

/**
 * Calls a server's remote with raw protobuf bytes as a User RPC and returns the raw reply: what the
 * backend session (`sys.*` remotes) and the typed RPC client are built on.
 */
@injectable('Singleton')
export class SysCaller {
  constructor(
    private readonly rpc: RpcTransportClient,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
  ) {}

  async call(serverId: string, route: string, data: Uint8Array, timeoutMs = this.rpc.defaultTimeoutMs, propagate?: Readonly<Record<string, unknown>>): Promise<Buffer> {
    const response = await this.rpc.call(serverId, {
      type: RPCType.User,
      msg: { route, data, type: MsgType.MsgRequest },
      frontendID: this.self.frontend ? this.self.id : '',
      metadata: encodeRequestMetadata(this.self, route, timeoutMs, propagate),
    }, timeoutMs);
    if (response.error) throw fromProtoError(response.error);
    return response.data;
  }
}
