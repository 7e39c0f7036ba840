import { evaluateGoals } from '../src/report/goals';
import { buildCharts } from '../src/report/charts';
import { renderMarkdown } from '../src/report/markdown';
import { QUICK_PLAN } from '../src/orchestrator/plan';
import type { BenchReport } from '../src/report/report-types';
import type { EchoResult } from '../src/generator/jobs';
import type { RunRecord } from '../src/report/report-types';
import type { TargetId } from '../src/targets/target';

// The Goals table follows issue 14: a verdict per goal and echo row, server µs/request from the
// server's CPU, and a generator-bound baseline named in the verdict.

function echo(target: TargetId, row: string, throughput: number, serverCpu: number, p99: number, generatorCpu: number, kind: 'echo-closed' | 'echo-open' = 'echo-closed'): RunRecord {
  const [scenario, transport] = row.split(' ') as ['A-closed' | 'A-open', 'ws' | 'tcp'];
  const result: EchoResult = {
    kind, connected: 100, connectFailures: 0, disconnects: 0, windowMs: 1000, completed: throughput, throughput, intended: 0, shed: 0, lost: 0, errors: 0,
    answeredTotal: throughput, latency: { count: throughput, mean: p99 / 2, p50: p99 / 2, p90: p99, p99, p999: p99, max: p99 }, generatorCpu,
  };
  return { scenario, row, transport, target, result, serverCpu };
}

const rows = ['A-closed ws 100c 64B', 'A-closed ws 1000c 64B', 'A-closed tcp 100c 64B', 'A-closed tcp 1000c 64B'];

describe('evaluateGoals', () => {
  it('judges req/s, server µs per request and p99 per goal row, and says when bare was generator-bound', () => {
    const runs: RunRecord[] = [];
    for (const row of rows) {
      // bare: 40k req/s at 0.8 core = 20 µs/req; pitaya-ts: 38k req/s at 1 core = 26.3 µs/req.
      runs.push(echo('bare', row, 40_000, 0.8, 10_000, row === rows[0] ? 0.95 : 0.5));
      runs.push(echo('pitaya', row, 38_000, 1, row === rows[3] ? 14_000 : 12_000, 0.6));
    }
    const goals = evaluateGoals(runs);
    const byName = new Map(goals.map((g) => [g.goal, g]));
    expect(byName.get('A echo ws 100c 64 B: req/s ≥ 0.9× bare')).toMatchObject({ pass: true, measured: expect.stringContaining('0.95×') });
    expect(byName.get('A echo ws 100c 64 B: req/s ≥ 0.9× bare')?.measured).toContain('bare generator-bound (generator at 95 %');
    expect(byName.get('A echo ws 1000c 64 B: req/s ≥ 0.9× bare')?.measured).not.toContain('generator-bound');
    const efficiency = byName.get('A echo tcp 100c 64 B: server µs/request ≥ 0.9× bare\'s efficiency');
    expect(efficiency).toMatchObject({ pass: false, measured: '0.76×', gap: 'needs +18 %' });
    expect(byName.get('A echo tcp 1000c 64 B: p99 ≤ 1.3× bare')).toMatchObject({ pass: false, measured: '1.40×', gap: 'needs 7 % less' });
    expect(byName.get('A echo tcp 100c 64 B: p99 ≤ 1.3× bare')).toMatchObject({ pass: true, measured: '1.20×' });
    expect(goals.filter((g) => g.goal.startsWith('A echo '))).toHaveLength(12);
    // Nothing measured for the rest: n/a, not pass.
    expect(byName.get('D forwarded ≥ 0.85× bare ws → raw grpc-js')?.pass).toBeUndefined();
    // Each verdict names the pitaya-ts configuration its rows ran.
    expect(byName.get('D forwarded ≥ 0.85× bare ws → raw grpc-js')?.config).toBe('frontend→backend over gRPC, Pitaya defaults');
    expect(byName.get('A echo ws 100c 64 B: req/s ≥ 0.9× bare')?.config).toBe('standalone, Pitaya defaults');
    expect(byName.get('echo ≥ 2× pinus (informational)')).toMatchObject({ informational: true, pass: undefined });
  });

  it('judges each target by its best pass when the judged rows ran several times, and a failed pass never wins', () => {
    const row = rows[3]!;
    const pass = (r: RunRecord, repeat: number): RunRecord => ({ ...r, repeat });
    const runs: RunRecord[] = [
      echo('bare', row, 60_000, 1, 20_000, 0.8),
      echo('pitaya', row, 48_000, 1, 30_000, 0.8), // a pass disturbed by the machine: 0.80×
      pass(echo('bare', row, 58_000, 1, 21_000, 0.8), 1),
      pass(echo('pitaya', row, 57_000, 0.95, 22_000, 0.8), 1),
      { ...pass(echo('pitaya', row, 0, 0, 0, 0), 2), result: undefined, error: 'did not start' },
    ];
    const byName = new Map(evaluateGoals(runs).map((g) => [g.goal, g]));
    // pitaya-ts's best pass (57k, its own CPU and p99) against bare's best (60k, first pass).
    expect(byName.get('A echo tcp 1000c 64 B: req/s ≥ 0.9× bare')).toMatchObject({ pass: true, measured: '0.95×' });
    expect(byName.get('A echo tcp 1000c 64 B: p99 ≤ 1.3× bare')).toMatchObject({ measured: '1.10×' });
    const markdown = renderMarkdown({
      schema: 1, mode: 'full', startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1000, command: 'npm run bench',
      machine: { cpuModel: 'test', cores: 2, memoryGiB: 1, node: 'v20', os: 'test', kernel: 'test', fdLimit: '1024' },
      pinning: 'none', plan: { ...QUICK_PLAN, goalRepeats: 2 }, targets: [], runs, goals: evaluateGoals(runs),
    }, []);
    expect(markdown).toContain('judged rows best of 3 interleaved passes per target');
    // The throughput table shows the same best passes: 60,000 and 57,000 (0.95×).
    expect(markdown).toContain(`| ${row} | 60,000 | – | 57,000 (0.95× bare, – pinus) |`);
  });

  it('reports the ratio of every pass pair next to the best-pass verdict, and lists every pass in the report', () => {
    const row = rows[3]!;
    const pass = (r: RunRecord, repeat: number): RunRecord => (repeat === 0 ? r : { ...r, repeat });
    // Pass ratios 0.80, 0.95, 0.85: best passes 57k ÷ 60k = 0.95× pass; the median pass 0.85× would not.
    const figures: [number, number][] = [[60_000, 48_000], [58_000, 55_100], [59_000, 50_150]];
    const runs: RunRecord[] = figures.flatMap(([bare, pitaya], k) => [
      pass(echo('bare', row, bare, 1, 20_000, 0.8), k),
      pass(echo('pitaya', row, pitaya, 1, 22_000, k === 2 ? 0.9 : 0.8), k),
    ]);
    runs.push({ ...pass(echo('pitaya', row, 0, 0, 0, 0), 3), result: undefined, error: 'did not start' });
    const goals = evaluateGoals(runs);
    const throughput = goals.find((g) => g.goal === 'A echo tcp 1000c 64 B: req/s ≥ 0.9× bare');
    // 55.1k ÷ 60k (each side's best) = 0.92×; the failed fourth pass has no pair and is left out.
    expect(throughput).toMatchObject({ pass: true, measured: '0.92×', passes: 'median 0.85× of 3 (0.80–0.95×)' });
    // A goal judged on one pass has no spread to report.
    expect(evaluateGoals([echo('bare', row, 60_000, 1, 20_000, 0.8), echo('pitaya', row, 57_000, 1, 22_000, 0.8)])
      .find((g) => g.goal === throughput!.goal)?.passes).toBeUndefined();
    const markdown = renderMarkdown({
      schema: 1, mode: 'full', startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1000, command: 'npm run bench',
      machine: { cpuModel: 'test', cores: 2, memoryGiB: 1, node: 'v20', os: 'test', kernel: 'test', fdLimit: '1024' },
      pinning: 'none', plan: { ...QUICK_PLAN, goalRepeats: 3 }, targets: [], runs, goals,
    }, []);
    expect(markdown).toContain('| median 0.85× of 3 (0.80–0.95×) |');
    // Every pass in the order it ran, the kept one in bold, a generator-bound one flagged, a failed one named.
    expect(markdown).toContain(`| ${row} | req/s | **60.0k** · 58.0k · 59.0k | 48.0k · **55.1k** · 50.1k ⚠ · failed | 0.80× · 0.95× · 0.85× |`);
  });

  it('judges the echo goals on the median of the interleaved pairs when they ran, with the sequential verdict beside it', () => {
    const row = rows[0]!;
    const paired = (target: TargetId, pair: number, throughput: number, p99: number, generatorCpu = 0.5): RunRecord =>
      ({ ...echo(target, row, throughput, 1, p99, generatorCpu), scenario: 'A-paired', repeat: pair });
    // Sequential best passes: 60k (bare, a fast minute) vs 48k (pitaya-ts) = 0.80×. Pairs: 0.95×, 0.70× (one
    // disturbed window), 0.92×, 0.96×, 0.91× → median 0.92×.
    const pairs: [number, number][] = [[40_000, 38_000], [40_000, 28_000], [50_000, 46_000], [45_000, 43_200], [44_000, 40_040]];
    const runs: RunRecord[] = [
      echo('bare', row, 60_000, 1, 3000, 0.5), echo('pitaya', row, 48_000, 1, 3300, 0.5),
      ...pairs.flatMap(([b, p], k) => [paired('bare', k + 1, b, 3000), paired('pitaya', k + 1, p, k === 1 ? 6000 : 4200, k === 4 ? 0.9 : 0.5)]),
    ];
    const goals = evaluateGoals(runs);
    const byName = new Map(goals.map((g) => [g.goal, g]));
    const throughput = byName.get('A echo ws 100c 64 B: req/s ≥ 0.9× bare');
    expect(throughput).toMatchObject({
      pass: true,
      measured: '0.92× (median of 5 interleaved pairs); ⚠ generator above 85 % of its core in 1 of 10 paired runs',
      passes: 'pairs 0.70–0.96×; sequential passes: best passes 0.80×',
    });
    expect(throughput?.rule).toContain('median ratio of the interleaved pairs');
    // p99 pairs: 1.40× ×4 and 2.00× → median 1.40×: a fail, with its gap.
    expect(byName.get('A echo ws 100c 64 B: p99 ≤ 1.3× bare')).toMatchObject({ pass: false, gap: 'needs 7 % less', measured: expect.stringMatching(/^1\.40× \(median of 5/) });
    // Rows without pairs keep the best-pass verdict.
    expect(byName.get('A echo tcp 100c 64 B: req/s ≥ 0.9× bare')?.measured).toBe('not measured');
    const markdown = renderMarkdown({
      schema: 1, mode: 'full', startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1000, command: 'npm run bench',
      machine: { cpuModel: 'test', cores: 2, memoryGiB: 1, node: 'v20', os: 'test', kernel: 'test', fdLimit: '1024' },
      pinning: 'none', plan: { ...QUICK_PLAN, pairedPasses: 5 }, targets: [], runs, goals,
    }, []);
    expect(markdown).toContain('The closed-loop echo goals are judged on the interleaved pairs');
    expect(markdown).toContain('5 pairs of 0.3 s warm-up + 0.7 s windows');
    // Every pair in the pass-by-pass section, none in bold (no other table keeps a paired run).
    expect(markdown).toContain(`| ${row}, interleaved pairs | req/s | 40.0k · 40.0k · 50.0k · 45.0k · 44.0k | 38.0k · 28.0k · 46.0k · 43.2k · 40.0k ⚠ | 0.95× · 0.70× · 0.92× · 0.96× · 0.91× |`);
    // The throughput table still shows the sequential best passes, untouched by the pairs.
    expect(markdown).toContain(`| ${row} | 60,000 | – | 48,000 (0.80× bare, – pinus) |`);
  });

  it('judges the open loop at 50 % against bare at the same rate; its spinning pacer is never called generator-bound', () => {
    const row = 'A-open ws 1000c 64B @50% bare max';
    const goals = evaluateGoals([echo('bare', row, 20_000, 0.5, 4000, 1, 'echo-open'), echo('pitaya', row, 20_000, 0.7, 9000, 1, 'echo-open')]);
    const open = goals.find((g) => g.goal.startsWith('A open loop'));
    expect(open).toMatchObject({ pass: false, gap: 'needs 11 % less' });
    expect(open?.measured).toBe(`2.25× (${row})`);
    // Several passes at the same offered rate: each target's lowest p99 is judged.
    const passes = evaluateGoals([
      echo('bare', row, 20_000, 0.5, 4000, 1, 'echo-open'), echo('pitaya', row, 20_000, 0.7, 9000, 1, 'echo-open'),
      { ...echo('bare', row, 20_000, 0.5, 5000, 1, 'echo-open'), repeat: 1 }, { ...echo('pitaya', row, 20_000, 0.7, 6000, 1, 'echo-open'), repeat: 1 },
    ]);
    expect(passes.find((g) => g.goal.startsWith('A open loop'))).toMatchObject({ pass: true, measured: `1.50× (${row})` });
  });

  it('keeps broadcast and idle memory as no-regression guards with the new thresholds', () => {
    const broadcast = (target: TargetId, deliveredPerSec: number): RunRecord => ({
      scenario: 'B-closed', row: 'B-closed 20×10 members', transport: 'ws', target,
      result: { kind: 'broadcast', connected: 200, connectFailures: 0, disconnects: 0, windowMs: 1000, sends: 1, deliveries: 1, deliveredPerSec, sentTotal: 1, deliveredTotal: 1, stalls: 0, senders: 20, maxInFlight: 1, latency: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }, generatorCpu: 0.5 },
    });
    const idle = (target: TargetId, perConnectionKb: number): RunRecord => ({
      scenario: 'C-idle', row: 'C-idle ws 2000 conns', transport: 'ws', target, memory: { beforeKb: 0, afterKb: 0, perConnectionKb },
    });
    const goals = evaluateGoals([broadcast('bare', 100_000), broadcast('pitaya', 94_000), idle('bare', 10), idle('pitaya', 11.4)]);
    expect(goals.find((g) => g.goal.startsWith('B broadcast ≥ 0.95× bare'))).toMatchObject({ pass: false, goal: expect.stringContaining('no-regression') });
    expect(goals.find((g) => g.goal.startsWith('C idle memory'))).toMatchObject({ pass: true, measured: expect.stringContaining('1.14×') });
  });

  it('judges the broadcast guard on the worst row\'s median pair ratio when the broadcast rows ran in pairs', () => {
    const broadcast = (scenario: 'B-closed' | 'B-paired', row: string, target: TargetId, deliveredPerSec: number, repeat?: number): RunRecord => ({
      scenario, row, transport: 'ws', target, ...(repeat !== undefined ? { repeat } : {}),
      result: { kind: 'broadcast', connected: 200, connectFailures: 0, disconnects: 0, windowMs: 1000, sends: 1, deliveries: 1, deliveredPerSec, sentTotal: 1, deliveredTotal: 1, stalls: 0, senders: 20, maxInFlight: 1, latency: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }, generatorCpu: 0.5 },
    });
    const small = 'B-closed 200×10 members';
    const large = 'B-closed 4×500 members';
    // Sequential best passes: small row 0.89× (bare got the fast minutes), large row 1.02×.
    // Pairs: small row 1.00, 0.80 (one disturbed window), 1.02 → median 1.00×; large row 0.97, 0.96, 0.99 → 0.97×.
    const runs: RunRecord[] = [
      broadcast('B-closed', small, 'bare', 100_000), broadcast('B-closed', small, 'pitaya', 89_000),
      broadcast('B-closed', large, 'bare', 500_000), broadcast('B-closed', large, 'pitaya', 510_000),
      ...([[100_000, 100_000], [100_000, 80_000], [100_000, 102_000]] as const).flatMap(([b, p], k) => [
        broadcast('B-paired', small, 'bare', b, k + 1), broadcast('B-paired', small, 'pitaya', p, k + 1),
      ]),
      ...([[500_000, 485_000], [500_000, 480_000], [500_000, 495_000]] as const).flatMap(([b, p], k) => [
        broadcast('B-paired', large, 'bare', b, k + 1), broadcast('B-paired', large, 'pitaya', p, k + 1),
      ]),
    ];
    const goals = evaluateGoals(runs);
    const guard = goals.find((g) => g.goal.startsWith('B broadcast ≥ 0.95× bare'));
    // The worst row by its pair median is the large one (0.97×), though the small row's best passes say 0.89×.
    expect(guard).toMatchObject({
      pass: true, measured: `0.97× (worst row: ${large}, median of 3 interleaved pairs)`, passes: 'pairs 0.96–0.99×; sequential passes: best passes 1.02×',
    });
    expect(guard?.rule).toContain('(B-paired: both servers up');
    // Without the pairs, the sequential best passes decide: the small row fails.
    expect(evaluateGoals(runs.filter((r) => r.scenario === 'B-closed')).find((g) => g.goal === guard!.goal)).toMatchObject({ pass: false, measured: expect.stringContaining(`0.89× (worst row: ${small})`) });
    const markdown = renderMarkdown({
      schema: 1, mode: 'full', startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1000, command: 'npm run bench',
      machine: { cpuModel: 'test', cores: 2, memoryGiB: 1, node: 'v20', os: 'test', kernel: 'test', fdLimit: '1024' },
      pinning: 'none', plan: { ...QUICK_PLAN, pairedPasses: 3 }, targets: [], runs, goals,
    }, []);
    expect(markdown).toContain('The broadcast guard is judged on the interleaved pairs (B-paired: bare and pitaya-ts both up');
    expect(markdown).toContain(`| ${small}, interleaved pairs | delivered/s | 100.0k · 100.0k · 100.0k | 100.0k · 80.0k · 102.0k | 1.00× · 0.80× · 1.02× |`);
  });
});

describe('report', () => {
  it('flags generator-bound cells, shows server µs per request and the generator calibration row', () => {
    const row = 'A-closed ws 100c 64B';
    const runs: RunRecord[] = [
      echo('bare', row, 40_000, 0.8, 10_000, 0.95),
      echo('pitaya', row, 38_000, 1, 12_000, 0.6),
      { ...echo('bare', `${row} ws-library client`, 30_000, 0.6, 10_000, 0.99), scenario: 'A-generator', wsClient: 'ws-library' },
    ];
    const report: BenchReport = {
      schema: 1, mode: 'quick', startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1000, command: 'npm run bench -- --quick',
      machine: { cpuModel: 'test', cores: 2, memoryGiB: 1, node: 'v20', os: 'test', kernel: 'test', fdLimit: '1024' },
      pinning: 'none', plan: QUICK_PLAN, targets: [], runs, goals: evaluateGoals(runs),
    };
    const markdown = renderMarkdown(report, buildCharts(report).map((chart) => ({ chart, file: `x-${chart.suffix}.svg` })));
    const line = (prefix: string, section: string): string => markdown.slice(markdown.indexOf(section)).split('\n').find((l) => l.startsWith(prefix)) ?? '';
    // Throughput: bare flagged (generator at 95 %), pitaya-ts not.
    expect(line(`| ${row} |`, '### Throughput')).toMatch(/^\| A-closed ws 100c 64B \| 40,000 ⚠ \| – \| 38,000 \(0\.95× bare, – pinus\) \|$/);
    expect(line(`| ${row} |`, '### CPU during the window')).toContain('80 % / 95 % ⚠');
    // 20 µs (bare) and 26.3 µs (pitaya-ts): bare ÷ pitaya-ts = 0.76×.
    expect(line(`| ${row} |`, '### Server CPU per request')).toContain('| 20.0 | – | 26.3 (bare ÷ this 0.76×) |');
    expect(line(`| ${row} | raw`, '### Load generator calibration')).toContain('| 40,000 | 95 % ⚠ | 23.8 |');
    expect(line(`| ${row} | Node generator, \`ws\``, '### Load generator calibration')).toContain('| 30,000 | 99 % ⚠ | 33.0 |');
    expect(markdown).toContain('⚠ = the load generator used more than 85 % of its core');
    expect(line('| A echo ws 100c 64 B: req/s', '## Goals')).toContain('bare generator-bound (generator at 95 %');
  });
});
