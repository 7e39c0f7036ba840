/**
 * `cluster.rpc.server.grpc.callsPerTurn`: a backend starts at most that many gRPC calls per turn of
 * the event loop, the rest in order in the next turns, so the first answers leave before the whole
 * burst has run. Frontend and backends run in this process: the turn counter below is theirs too.
 */
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { Context, Inject, Module, Remote, Route, SERVER_INFO, type PitayaApplication, type ServerIdentity } from '@pitaya-ts/core';
import { ClusterModule, SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { InProcessApps } from '../support/in-process-apps';

/** Turns of the event loop, advanced by a check-phase callback that reschedules itself while a test runs. */
let turn = 0;
let ticking = false;
function tick(): void {
  turn++;
  if (ticking) setImmediate(tick);
}

/** Per server type: how many calls started in each turn. */
const startsPerTurn = new Map<string, Map<number, number>>();

@Remote('pace')
class PaceRemote {
  constructor(@Inject(SERVER_INFO) private readonly self: ServerIdentity) {}

  @Route()
  mark(_ctx: Context, body: { i: number }): unknown {
    const type = this.self.type;
    const turns = startsPerTurn.get(type) ?? new Map<number, number>();
    startsPerTurn.set(type, turns);
    turns.set(turn, (turns.get(turn) ?? 0) + 1);
    return { i: body.i };
  }
}

describe('gRPC server: calls started per turn of the event loop', () => {
  let etcd: EtcdHandle;
  const apps = new InProcessApps();
  let frontend: PitayaApplication;

  beforeAll(async () => {
    etcd = await startEtcd();
    const prefix = `pace-${Date.now()}/`;
    const cluster = (callsPerTurn?: number): ReturnType<typeof ClusterModule.forRoot> => ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix },
      config: {
        cluster: {
          rpc: { server: { grpc: { port: 0, host: '127.0.0.1', ...(callsPerTurn !== undefined ? { callsPerTurn } : {}) } }, client: { grpc: { requestTimeout: '20s' } } },
          sd: { etcd: { heartbeat: { ttl: '5s' } } },
        },
      },
    });
    @Module({ imports: [cluster(8)], remotes: [PaceRemote] }) class PacedModule {}
    @Module({ imports: [cluster(0)], remotes: [PaceRemote] }) class UnpacedModule {}
    @Module({ imports: [cluster()] }) class FrontendModule {}
    await apps.start(PacedModule, 'paced', false);
    await apps.start(UnpacedModule, 'unpaced', false);
    frontend = await apps.start(FrontendModule, 'connector', true);
    const sd = frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY);
    await waitFor(() => sd.getServersByType('paced').length === 1 && sd.getServersByType('unpaced').length === 1, {
      timeoutMs: 10_000, message: 'backends not discovered',
    });
    // Connect both channels before the bursts: the first call of a channel waits for its connection.
    await frontend.rpc('paced.pace.mark', { i: -1 });
    await frontend.rpc('unpaced.pace.mark', { i: -1 });
    startsPerTurn.clear();
    ticking = true;
    setImmediate(tick);
  });
  afterAll(async () => {
    ticking = false;
    await apps.closeAll();
    await etcd?.stop();
  });

  const burst = async (type: string, n: number): Promise<number[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => frontend.rpc(`${type}.pace.mark`, { i }).then((reply) => (reply as { i: number }).i)));

  it('with callsPerTurn 8, a burst of 300 calls starts at most 8 per turn and every call is answered with its own reply', async () => {
    const replies = await burst('paced', 300);
    expect(replies).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const perTurn = [...(startsPerTurn.get('paced')?.values() ?? [])];
    expect(perTurn.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(8);
    expect(perTurn.length).toBeGreaterThanOrEqual(300 / 8);
  }, 30_000);

  it('with callsPerTurn 0 the same burst starts many calls in one turn (what the limit changes)', async () => {
    const replies = await burst('unpaced', 300);
    expect(replies).toHaveLength(300);
    const perTurn = [...(startsPerTurn.get('unpaced')?.values() ?? [])];
    expect(perTurn.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...perTurn)).toBeGreaterThan(8);
  }, 30_000);
});
