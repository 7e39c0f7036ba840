import { BareServer } from '../src/servers/bare-server';
import { PITAYA_ROUTES } from '../src/servers/bench-routes';
import { closeAll } from '../src/generator/connect-clients';
import { connectSpread } from '../src/generator/connect-spread';
import { clusterBroadcastGoal } from '../src/report/cluster-broadcast-goal';
import type { BroadcastResult } from '../src/generator/jobs';
import type { RunRecord } from '../src/report/report-types';
import type { TargetId } from '../src/targets/target';

describe('cluster broadcast bench (B-cluster)', () => {
  it('spreads the members over the frontends evenly', async () => {
    const servers = [0, 1].map(() => new BareServer({ host: '127.0.0.1', wsPort: 0, tcpPort: 0, routes: PITAYA_ROUTES, delayMs: 0 }));
    const ports = await Promise.all(servers.map((s) => s.start()));
    try {
      const outcome = await connectSpread(ports.map((p) => ({ transport: 'ws' as const, host: '127.0.0.1', port: p.ws })), { count: 7, concurrency: 4, timeoutMs: 5000 });
      expect(outcome).toMatchObject({ attempted: 7, failures: 0 });
      expect(outcome.connections).toHaveLength(7);
      expect(servers.map((s) => s.stats.handshakes)).toEqual([4, 3]);
      await closeAll(outcome.connections);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  const record = (target: TargetId, deliveredPerSec: number): RunRecord => ({
    scenario: 'B-cluster', row: 'B-cluster 1×1000 members', transport: 'ws', target,
    result: { kind: 'broadcast', deliveredPerSec } as BroadcastResult,
  });

  it('judges the cluster against the standalone server of the same run at 0.5×', () => {
    expect(clusterBroadcastGoal([record('pitaya', 20_000), record('pitaya-cluster-broadcast', 12_000)])).toMatchObject({ pass: true, measured: expect.stringContaining('0.60×') });
    expect(clusterBroadcastGoal([record('pitaya', 20_000), record('pitaya-cluster-broadcast', 8000)])).toMatchObject({ pass: false, gap: 'needs +25 %' });
    expect(clusterBroadcastGoal([record('pitaya', 20_000)])).toMatchObject({ pass: undefined, measured: 'not measured' });
  });
});
