import { ClusterModule } from '@pitaya-ts/cluster';
import { Context, GROUPS, Handler, Inject, Notify, Route, type DynamicModule, type Groups } from '@pitaya-ts/core';
import type { ServerEnv } from './server-env';
import type { JoinBody, SendBody } from './bench-module';

/** Server type of the cluster-broadcast frontends (the backend pushes to users bound on this type). */
export const BROADCAST_FRONTEND_TYPE = 'connector';

/**
 * The cluster-broadcast scenario's cluster module: the orchestrator's etcd, gRPC on a free loopback
 * port and, unlike scenario D, the etcd binding storage on (a backend finds its users' frontends
 * through it: this is the path measured).
 */
export function broadcastClusterModule(env: ServerEnv): DynamicModule {
  if (!env.etcdUrl) throw new Error('BENCH_ETCD_URL is not set: cluster bench servers need the etcd the orchestrator started');
  return ClusterModule.forRoot({
    etcd: { endpoints: new URL(env.etcdUrl).host, prefix: 'bench-broadcast/' },
    config: { cluster: { rpc: { server: { grpc: { port: 0, host: env.host } } } } },
    env: {},
  });
}

function isJoinBody(body: unknown): body is JoinBody {
  const b = body as Partial<JoinBody> | null;
  return typeof b?.room === 'string' && typeof b.uid === 'string';
}

/**
 * The backend's `bench` handler, reached through the frontends (`backend.bench.*`): `join` binds the
 * uid (a `sys.bindsession` to the user's frontend, which writes the binding to etcd) and adds it to
 * the room; `send` broadcasts to the room from the backend, so every push crosses the cluster.
 * The groups are Pitaya's default (in the backend's memory).
 */
@Handler('bench')
export class BroadcastBackendHandler {
  private readonly rooms = new Set<string>();

  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  /** For the orchestrator's priming run. */
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }

  @Route()
  async join(ctx: Context, body: unknown): Promise<{ ok: boolean }> {
    if (!isJoinBody(body)) return { ok: false };
    const { room, uid } = body;
    await ctx.session.bind(uid);
    if (!this.rooms.has(room)) {
      this.rooms.add(room);
      await this.groups.create(room);
    }
    // The priming run's room-0 members rejoin the measured room-0 under the same uids: already in is fine.
    if (!(await this.groups.contains(room, uid))) await this.groups.add(room, uid);
    return { ok: true };
  }

  @Notify()
  async send(_ctx: Context, body: SendBody): Promise<void> {
    await this.groups.broadcast(body.room, 'onMsg', body, { frontendType: BROADCAST_FRONTEND_TYPE });
  }
}
