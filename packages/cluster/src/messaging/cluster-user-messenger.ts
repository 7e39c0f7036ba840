import { injectable } from 'inversify';
import {
  ErrorCode, Inject, LocalUserMessenger, MessageEncoder, PitayaError, SERVER_INFO, type ServerIdentity, type UserMessenger,
} from '@pitaya-ts/core';
import { BindingStorageModule } from '../modules/binding-storage.module';
import { RpcTransportClient } from '../rpc/rpc-transport';

/**
 * Pushes and kicks to users anywhere in the cluster (Pitaya's `SendPushToUsers`/`SendKickToUsers`):
 * users connected here get the push framed once; the others are found through the binding storage
 * (`bindings/<frontendType>/<uid>` in etcd) and reached with `PushToUser`/`KickUser` on their
 * frontend, the body serialized once for all of them. Resolves with the uids that could not be reached.
 */
@injectable('Singleton')
export class ClusterUserMessenger implements UserMessenger {
  constructor(
    private readonly local: LocalUserMessenger,
    private readonly encoder: MessageEncoder,
    private readonly rpc: RpcTransportClient,
    private readonly bindings: BindingStorageModule,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
  ) {}

  async pushToUsers(route: string, body: unknown, uids: readonly string[], frontendType?: string): Promise<string[]> {
    const type = this.frontendTypeOf(frontendType);
    let failed: string[] = [];
    let remote: readonly string[] = uids;
    if (this.self.frontend && type === this.self.type) {
      const result = this.local.pushLocally(route, body, uids, type);
      failed = result.failed;
      remote = result.absent;
    }
    if (remote.length === 0) return failed;
    const data = this.encoder.serialize(body, this.encoder.serializer.pushTypeOf?.(route));
    const outcomes = await Promise.all(remote.map(async (uid) => {
      try {
        const frontendId = await this.bindings.getUserFrontendId(uid, type);
        const response = await this.rpc.pushToUser(frontendId, { route, uid, data });
        return response.error ? uid : undefined;
      } catch {
        return uid;
      }
    }));
    for (const uid of outcomes) if (uid !== undefined) failed.push(uid);
    return failed;
  }

  async kickUsers(uids: readonly string[], frontendType?: string): Promise<string[]> {
    const type = this.frontendTypeOf(frontendType);
    let remote: readonly string[] = uids;
    const failed: string[] = [];
    if (this.self.frontend && type === this.self.type) {
      remote = await this.local.kickUsers(uids, type);
    }
    await Promise.all(remote.map(async (uid) => {
      try {
        const frontendId = await this.bindings.getUserFrontendId(uid, type);
        const answer = await this.rpc.kickUser(frontendId, { userId: uid });
        if (!answer.kicked) failed.push(uid);
      } catch {
        failed.push(uid);
      }
    }));
    return failed;
  }

  private frontendTypeOf(frontendType: string | undefined): string {
    if (frontendType) return frontendType;
    if (this.self.frontend) return this.self.type;
    throw new PitayaError(ErrorCode.Unknown, 'for using SendPushToUsers from a backend server you have to specify a valid frontendType');
  }
}
