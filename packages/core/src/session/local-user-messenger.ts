import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { MessageEncoder } from '../agent/message-encoder';
import { SERVER_INFO } from '../container/tokens';
import type { ServerIdentity } from '../server-identity';
import { SessionPool } from './session-pool';
import type { UserMessenger } from './user-messenger';

/**
 * Pushes and kicks for users connected to this process (standalone mode, and the local half of
 * the cluster messenger). A push is serialized and framed once, then the same bytes go to every
 * recipient.
 */
@injectable('Singleton')
export class LocalUserMessenger implements UserMessenger {
  constructor(
    private readonly pool: SessionPool,
    private readonly encoder: MessageEncoder,
    @Inject(SERVER_INFO) private readonly server: ServerIdentity,
  ) {}

  pushToUsers(route: string, body: unknown, uids: readonly string[], frontendType?: string): Promise<string[]> {
    try {
      const { failed, absent } = this.pushLocally(route, body, uids, frontendType);
      return Promise.resolve(absent.length === 0 ? failed : [...failed, ...absent]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Pushes to the uids connected here. Returns the uids whose connection would not take the push
   * (`failed`) and those not connected here at all (`absent`, which another server may hold).
   */
  pushLocally(route: string, body: unknown, uids: readonly string[], frontendType?: string): { failed: string[]; absent: string[] } {
    const failed: string[] = [];
    const absent: string[] = [];
    if (frontendType !== undefined && frontendType !== '' && frontendType !== this.server.type) {
      return { failed, absent: [...uids] };
    }
    let packet: Uint8Array | undefined;
    for (const uid of uids) {
      const session = this.pool.getByUid(uid);
      if (!session || session.closed) {
        absent.push(uid);
        continue;
      }
      packet ??= this.encoder.push(route, body);
      if (!session.sendPacket(packet)) failed.push(uid);
    }
    return { failed, absent };
  }

  kickUsers(uids: readonly string[], frontendType?: string): Promise<string[]> {
    const failed: string[] = [];
    const localType = frontendType === undefined || frontendType === '' || frontendType === this.server.type;
    for (const uid of uids) {
      const session = localType ? this.pool.getByUid(uid) : undefined;
      if (session) void session.kick();
      else failed.push(uid);
    }
    return Promise.resolve(failed);
  }
}
