import { z } from 'zod';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import {
  Context, Handler, METRICS_REPORTER, Module, NoopMetricsReporter, Remote, Route, type ModuleImport, type PitayaApplication, type RefusalReason,
} from '@pitaya-ts/core';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import { ClusterModule, SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { InProcessApps } from '../support/in-process-apps';

const MembersRequest = z.object({ room: z.string().min(1) });
const JoinRequest = z.object({ name: z.string().max(8) });

class Counting extends NoopMetricsReporter {
  readonly refusals: RefusalReason[] = [];
  override refused(reason?: RefusalReason): void {
    if (reason) this.refusals.push(reason);
  }
}
const backendMetrics = new Counting();

@Remote('room')
class RoomRemote {
  @Route({ request: MembersRequest })
  members(_ctx: Context, body: z.infer<typeof MembersRequest>): unknown {
    return { room: body.room, members: ['a'] };
  }
  /** Undecorated: must not be callable by another server. */
  wipe(): unknown {
    return { wiped: true };
  }
}

@Handler('room')
class RoomHandler {
  @Route({ request: JoinRequest })
  join(_ctx: Context, body: z.infer<typeof JoinRequest>): unknown {
    return { joined: body.name };
  }
  private reset(): unknown {
    return { reset: true };
  }
  @Route()
  resetAll(): unknown {
    return this.reset();
  }
}

@Handler('entry')
class EntryHandler {
  @Route()
  ping(): unknown {
    return { pong: true };
  }
}

describe('declared bodies across the cluster (real etcd and gRPC)', () => {
  let etcd: EtcdHandle;
  const apps = new InProcessApps();
  const start = (root: ModuleImport, serverType: string, frontend: boolean): Promise<PitayaApplication> =>
    apps.start(root, serverType, frontend);

  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await apps.closeAll();
    await etcd?.stop();
  });

  it('validates what a remote and a forwarded handler receive over gRPC; helpers stay unreachable', async () => {
    const cluster = ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix: `schemas-${Date.now()}/` },
      config: { cluster: { rpc: { server: { grpc: { port: 0, host: '127.0.0.1' } } }, sd: { etcd: { heartbeat: { ttl: '5s' } } } } },
    });
    @Module({ imports: [cluster], handlers: [RoomHandler], remotes: [RoomRemote], providers: [{ provide: METRICS_REPORTER, useValue: backendMetrics }] })
    class BackendModule {}
    @Module({ imports: [cluster], handlers: [EntryHandler] }) class FrontendModule {}
    await start(BackendModule, 'room', false);
    const frontend = await start(FrontendModule, 'connector', true);
    const sd = frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY);
    await waitFor(() => sd.getServersByType('room').length === 1, { timeoutMs: 10_000, message: 'backend not discovered' });

    // User RPC: valid, invalid (validated on the backend that received it), undecorated method.
    expect(await frontend.rpc('room.room.members', { room: 'x' })).toEqual({ room: 'x', members: ['a'] });
    const invalid = await frontend.rpc('room.room.members', { room: 5 }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'PIT-400', metadata: { path: 'room' } });
    expect((invalid as Error).message).toBe('invalid body at room: Invalid input: expected string, received number');
    expect(await frontend.rpc('room.room.wipe', {}).catch((e: unknown) => e)).toMatchObject({ code: 'PIT-404' });

    // A client request forwarded by the frontend is validated by the backend too.
    const client = await PitayaClient.connect(`ws://127.0.0.1:${frontend.listening[0]!.port}`);
    try {
      expect(await client.request('room.room.join', { name: 'ana' })).toEqual({ joined: 'ana' });
      const bad = await client.request('room.room.join', { name: 'a-very-long-name' }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(ClientError);
      expect(bad).toMatchObject({ code: 'PIT-400', metadata: { path: 'name' } });
      expect(await client.request('room.room.reset', {}).catch((e: unknown) => e)).toMatchObject({ code: 'PIT-404' });
      expect(await client.request('room.room.resetAll', {})).toEqual({ reset: true });
    } finally {
      await client.close();
    }
    expect(backendMetrics.refusals).toEqual(['validation', 'validation']);
  }, 60_000);
});
