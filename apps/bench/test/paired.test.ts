import { GOAL_ECHO_CASES, QUICK_PLAN } from '../src/orchestrator/plan';
import type { LoadSpec, Suite } from '../src/orchestrator/suite';
import type { RunRecord } from '../src/report/report-types';
import { runInterleavedPairs } from '../src/scenarios/paired-scenario';
import type { RunningTarget, TargetContext, TargetDefinition } from '../src/targets/target';
import { PITAYA_ROUTES } from '../src/servers/bench-routes';

// Scenarios A-paired and B-paired are orchestration over the Suite's tested machinery (start, prime, load): the
// Suite here records what the scenario asks of it, in order, with which targets running then.

interface Call { readonly kind: 'start' | 'stop' | 'prime' | 'load'; readonly target: string; readonly spec?: LoadSpec; readonly up: readonly string[] }

function recordingSuite(pairedPasses: number, failToStart?: string): { suite: Suite; calls: Call[] } {
  const calls: Call[] = [];
  const up: string[] = [];
  const running = (id: string): RunningTarget => ({ pid: 1, wsPort: 1000, tcpPort: id === 'bare' ? 1001 : 1002, routes: PITAYA_ROUTES, stop: async () => undefined });
  const suite = {
    plan: { ...QUICK_PLAN, pairedPasses },
    ctx: {} as TargetContext,
    failedStart: undefined,
    runs: [] as RunRecord[],
    async withTarget<T>(target: TargetDefinition, body: (r: RunningTarget) => Promise<T>): Promise<T | undefined> {
      if (target.id === failToStart) return undefined;
      up.push(target.id);
      calls.push({ kind: 'start', target: target.id, up: [...up] });
      try {
        return await body(running(target.id));
      } finally {
        up.splice(up.indexOf(target.id), 1);
        calls.push({ kind: 'stop', target: target.id, up: [...up] });
      }
    },
    async prime(target: TargetDefinition): Promise<void> {
      calls.push({ kind: 'prime', target: target.id, up: [...up] });
    },
    async load(target: TargetDefinition, _running: RunningTarget, spec: LoadSpec): Promise<RunRecord> {
      calls.push({ kind: 'load', target: target.id, spec, up: [...up] });
      return { ...spec, target: target.id };
    },
  } as unknown as Suite;
  return { suite, calls };
}

describe('interleaved pairs (A-paired, B-paired)', () => {
  it('runs every goal row in pairs against both servers up at once, alternating which side goes first', async () => {
    const { suite, calls } = recordingSuite(3);
    await expect(runInterleavedPairs(suite)).resolves.toBe(true);
    const loads = calls.filter((c) => c.kind === 'load');
    // Both servers are up for every window: the idle one waits in epoll while the other is measured.
    expect(loads.every((c) => c.up.includes('bare') && c.up.includes('pitaya'))).toBe(true);
    expect(calls.filter((c) => c.kind === 'prime').map((c) => c.target)).toEqual(['bare', 'pitaya']);
    expect(loads).toHaveLength((GOAL_ECHO_CASES.length + QUICK_PLAN.roomSizes.length) * 3 * 2);
    const first = loads.slice(0, 6).map((c) => `${c.spec!.repeat}:${c.target}`);
    expect(first).toEqual(['1:bare', '1:pitaya', '2:pitaya', '2:bare', '3:bare', '3:pitaya']);
    const echo = loads.slice(0, GOAL_ECHO_CASES.length * 6);
    for (const c of echo) expect(c.spec).toMatchObject({ scenario: 'A-paired', payloadBytes: 64 });
    expect(new Set(echo.map((c) => c.spec!.row))).toEqual(new Set(['A-closed ws 100c 64B', 'A-closed ws 1000c 64B', 'A-closed tcp 100c 64B', 'A-closed tcp 1000c 64B']));
    // Then the closed-loop broadcast rows, same alternation, under the B-closed row labels so the
    // pairs line up with the sequential passes of the same row.
    const broadcast = loads.slice(GOAL_ECHO_CASES.length * 6);
    expect(broadcast.map((c) => `${c.spec!.row}/${c.spec!.repeat}:${c.target}`)).toEqual([
      'B-closed 20×10 members/1:bare', 'B-closed 20×10 members/1:pitaya', 'B-closed 20×10 members/2:pitaya', 'B-closed 20×10 members/2:bare',
      'B-closed 20×10 members/3:bare', 'B-closed 20×10 members/3:pitaya',
      'B-closed 2×100 members/1:bare', 'B-closed 2×100 members/1:pitaya', 'B-closed 2×100 members/2:pitaya', 'B-closed 2×100 members/2:bare',
      'B-closed 2×100 members/3:bare', 'B-closed 2×100 members/3:pitaya',
    ]);
    for (const c of broadcast) expect(c.spec).toMatchObject({ scenario: 'B-paired', transport: 'ws', clients: 200 });
    const endpoint = { transport: 'ws' as const, host: '127.0.0.1', port: 1000 };
    expect(broadcast[0]!.spec!.job(endpoint, { pid: 1, wsPort: 1000, tcpPort: 1001, routes: PITAYA_ROUTES, stop: async () => undefined })).toMatchObject({
      kind: 'broadcast', mode: 'closed', rooms: 20, roomSize: 10, warmupMs: QUICK_PLAN.pairedWarmupMs, measureMs: QUICK_PLAN.pairedMeasureMs,
    });
    // Each window uses the paired timing, not the sequential passes'.
    const job = loads[0]!.spec!.job({ transport: 'ws', host: '127.0.0.1', port: 1000 }, { pid: 1, wsPort: 1000, tcpPort: 1001, routes: PITAYA_ROUTES, stop: async () => undefined });
    expect(job).toMatchObject({ kind: 'echo-closed', clients: 100, warmupMs: QUICK_PLAN.pairedWarmupMs, measureMs: QUICK_PLAN.pairedMeasureMs });
    expect(calls.at(-1)).toMatchObject({ kind: 'stop', up: [] });
  });

  it('runs nothing when no pairs are planned or a server does not start', async () => {
    const none = recordingSuite(0);
    await expect(runInterleavedPairs(none.suite)).resolves.toBe(false);
    expect(none.calls).toEqual([]);
    const failed = recordingSuite(2, 'pitaya');
    await expect(runInterleavedPairs(failed.suite)).resolves.toBe(false);
    expect(failed.calls.filter((c) => c.kind === 'load')).toEqual([]);
  });
});
