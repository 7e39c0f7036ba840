import { injectable } from 'inversify';
import { ErrorCode, Inject, PitayaError, SERVER_INFO, type ServerIdentity, type UserMessenger } from '@pitaya-ts/core';
import { LocalUserMessenger, MessageEncoder } from '@pitaya-ts/core/internal';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from '../discovery/service-discovery';
import { BindingStorageModule } from '../modules/binding-storage.module';
import { ServerHealth } from '../router/server-health';
import { RpcTransportClient } from '../rpc/rpc-transport';
import { ServerUnreachableError } from '../rpc/rpc-errors';
import type { ServerInfo } from '../server-info';
import { mapBounded } from '../util/bounded';
import { SysCaller } from '../rpc/sys-caller';
import { BATCH_PUSH_MAX_UIDS, BATCH_PUSH_METADATA_KEY, BATCH_PUSH_ROUTE, BATCH_PUSH_VERSION, MULTI_PUSH_METADATA_KEY, MULTI_PUSH_ROUTE, MULTI_PUSH_VERSION, decodeBatchPushReply, encodeBatchPush } from './batch-push';
import { MultiPushQueue } from './multi-push-queue';

/** Most pushes or kicks one fan-out has in flight at once. */
export const CLUSTER_FANOUT_CONCURRENCY = 64;

/** Delivers to one user on one frontend; resolves whether the frontend took it. */
type Send = (frontendId: string, uid: string) => Promise<boolean>;
/** Delivers to several users of one frontend in one call; resolves with the uids it did not take. */
type SendBatch = (server: ServerInfo, uids: readonly string[]) => Promise<readonly string[]>;

/**
 * Pushes and kicks to users anywhere in the cluster (Pitaya's `SendPushToUsers`/`SendKickToUsers`):
 * users connected here get the push framed once; the others are located through the binding
 * storage's watched copy of `bindings/<frontendType>/` and grouped by frontend. Uids whose frontend
 * is unbound, gone from discovery, suspect, or found unreachable during this fan-out fail at once,
 * without a call. A pitaya-ts frontend that advertises the batched push gets one `sys.pushusers`
 * call for all its users (up to 1000 per call); one that also advertises the multi push gets the
 * batches of every push sent to it in the same turn in one `sys.pushusersmulti` call
 * ({@link MultiPushQueue}); any other (a Go frontend) gets one
 * `PushToUser`/`KickUser` per user, the messages it understands. At most
 * {@link CLUSTER_FANOUT_CONCURRENCY} calls are in flight; the body is serialized once. Resolves
 * with the uids that could not be reached.
 */
@injectable('Singleton')
export class ClusterUserMessenger implements UserMessenger {
  private readonly multi: MultiPushQueue;

  constructor(
    private readonly local: LocalUserMessenger,
    private readonly encoder: MessageEncoder,
    private readonly rpc: RpcTransportClient,
    private readonly bindings: BindingStorageModule,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(SERVICE_DISCOVERY) private readonly discovery: ServiceDiscovery,
    private readonly health: ServerHealth,
    private readonly sys: SysCaller,
  ) {
    this.multi = new MultiPushQueue((serverId, body) => this.sys.call(serverId, MULTI_PUSH_ROUTE, body));
  }

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
    await this.deliver(remote, type, failed, async (frontendId, uid) => {
      const response = await this.rpc.pushToUser(frontendId, { route, uid, data });
      return !response.error;
    }, async (server, batch) => server.metadata[MULTI_PUSH_METADATA_KEY] === MULTI_PUSH_VERSION
      ? this.multi.push(server.id, { route, data, uids: batch })
      : decodeBatchPushReply(await this.sys.call(server.id, BATCH_PUSH_ROUTE, encodeBatchPush({ route, data, uids: batch }))));
    return failed;
  }

  async kickUsers(uids: readonly string[], frontendType?: string): Promise<string[]> {
    const type = this.frontendTypeOf(frontendType);
    let remote: readonly string[] = uids;
    const failed: string[] = [];
    if (this.self.frontend && type === this.self.type) {
      remote = await this.local.kickUsers(uids, type);
    }
    if (remote.length === 0) return failed;
    await this.deliver(remote, type, failed, async (frontendId, uid) => (await this.rpc.kickUser(frontendId, { userId: uid })).kicked);
    return failed;
  }

  private async deliver(uids: readonly string[], type: string, failed: string[], send: Send, sendBatch?: SendBatch): Promise<void> {
    let frontends: (string | undefined)[];
    try {
      frontends = await this.bindings.frontendsOf(uids, type);
    } catch {
      for (const uid of uids) failed.push(uid);
      return;
    }
    const byFrontend = new Map<string, string[]>();
    for (let i = 0; i < uids.length; i++) {
      const frontendId = frontends[i];
      if (frontendId === undefined || frontendId === this.self.id) {
        failed.push(uids[i]!);
        continue;
      }
      let list = byFrontend.get(frontendId);
      if (list === undefined) byFrontend.set(frontendId, (list = []));
      list.push(uids[i]!);
    }
    const jobs: { server: ServerInfo; uid: string }[] = [];
    const batches: { server: ServerInfo; uids: readonly string[] }[] = [];
    for (const [frontendId, members] of byFrontend) {
      const server = this.discovery.getServer(frontendId);
      // A crashed frontend's users: nobody to call (its bindings and group memberships are swept).
      if (server === undefined || this.health.isSuspect(frontendId)) {
        for (const uid of members) failed.push(uid);
        continue;
      }
      if (sendBatch !== undefined && server.metadata[BATCH_PUSH_METADATA_KEY] === BATCH_PUSH_VERSION) {
        for (let i = 0; i < members.length; i += BATCH_PUSH_MAX_UIDS) batches.push({ server, uids: members.slice(i, i + BATCH_PUSH_MAX_UIDS) });
      } else {
        for (const uid of members) jobs.push({ server, uid });
      }
    }
    const missed: { server: ServerInfo; uid: string }[] = [];
    if (batches.length > 0) {
      await mapBounded(batches, CLUSTER_FANOUT_CONCURRENCY, async ({ server, uids: batch }) => {
        let absent: readonly string[];
        try {
          absent = await sendBatch!(server, batch);
        } catch {
          // SysCaller reported the outcome to ServerHealth already.
          for (const uid of batch) failed.push(uid);
          return;
        }
        for (const uid of absent) missed.push({ server, uid });
      });
    }
    const down = new Set<string>();
    await mapBounded(jobs, CLUSTER_FANOUT_CONCURRENCY, async ({ server, uid }) => {
      if (down.has(server.id)) {
        failed.push(uid);
        return;
      }
      try {
        const delivered = await send(server.id, uid);
        this.health.succeeded(server.id);
        if (delivered) return;
      } catch (error) {
        this.health.failed(server, error);
        if (error instanceof ServerUnreachableError) {
          down.add(server.id);
          failed.push(uid);
          return;
        }
      }
      missed.push({ server, uid });
    });
    // Not there: the user may have moved to another frontend since our copy of the binding.
    await mapBounded(missed, CLUSTER_FANOUT_CONCURRENCY, async ({ server, uid }) => {
      if (!(await this.retryFresh(uid, type, server.id, send))) failed.push(uid);
    });
  }

  private async retryFresh(uid: string, type: string, staleFrontendId: string, send: Send): Promise<boolean> {
    try {
      const fresh = await this.bindings.readFrontendId(uid, type);
      if (fresh === undefined || fresh === staleFrontendId || fresh === this.self.id || !this.discovery.getServer(fresh)) return false;
      return await send(fresh, uid);
    } catch {
      return false;
    }
  }

  private frontendTypeOf(frontendType: string | undefined): string {
    if (frontendType) return frontendType;
    if (this.self.frontend) return this.self.type;
    throw new PitayaError(ErrorCode.Unknown, 'for using SendPushToUsers from a backend server you have to specify a valid frontendType');
  }
}
