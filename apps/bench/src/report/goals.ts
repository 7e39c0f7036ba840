import { GOAL_ECHO_CASES } from '../orchestrator/plan';
import type { TargetId } from '../targets/target';
import { fmtRatio, rowsOf } from './compare';
import {
  deliveredOf, generatorBound, generatorCpuOf, perConnectionKbOf, percentileOf, serverMicrosPerRequestOf, throughputOf,
} from './metrics';
import { clusterBroadcastGoal } from './cluster-broadcast-goal';
import { describeSpread, median, passesFor, passRatios } from './pass-spread';
import type { GoalResult, RunRecord, ScenarioId } from './report-types';

/** Row label of a closed-loop echo run (same as `closedRow` of the echo scenario). */
export function closedRowLabel(transport: string, clients: number, payload: number): string {
  return `A-closed ${transport} ${clients}c ${payload}B`;
}

/**
 * Note appended to a verdict when one side's run had the generator above `GENERATOR_BOUND` (0.85)
 * of its core: that side's figure is then what the generator could drive, a lower bound of the server's ceiling.
 */
function generatorNote(r: RunRecord | undefined, name: string): string {
  const cpu = generatorCpuOf(r);
  if (!generatorBound(r) || cpu === undefined) return '';
  return `; ⚠ ${name} generator-bound (generator at ${Math.round(cpu * 100)} % of its core): the ${name} figure is a lower bound of its ceiling` +
    (name === 'pitaya-ts' ? '' : ', so the ratio overstates pitaya-ts');
}

/** pitaya-ts's value ÷ the baseline's: the ratio of every goal but the efficiency one. */
export const byRatio = (pitaya: number, baseline: number): number => pitaya / baseline;

/** A judged figure: what is read from a record, and how pitaya-ts's and the baseline's make the ratio. */
export interface JudgedMetric {
  readonly metric: (r: RunRecord | undefined) => number | undefined;
  /** pitaya-ts's value, the baseline's value → the judged ratio. */
  readonly judge: (pitaya: number, baseline: number) => number;
}

/**
 * The figures each echo goal row is judged on, shared by the Goals table and the pass-by-pass
 * section so both compute the same ratio. Efficiency is bare µs ÷ pitaya-ts µs (higher is better).
 */
export const ECHO_FIGURES = {
  throughput: { metric: throughputOf, judge: byRatio },
  micros: { metric: serverMicrosPerRequestOf, judge: (p: number, b: number): number => b / p },
  p99: { metric: (r: RunRecord | undefined) => percentileOf(r, 'p99'), judge: byRatio },
} as const satisfies Record<string, JudgedMetric>;

interface RatioGoal extends JudgedMetric {
  readonly goal: string;
  readonly rule: string;
  readonly threshold: number;
  /** True: the ratio must stay at or under `threshold`; false: at or above. */
  readonly atMost: boolean;
  readonly informational?: boolean;
  /** Which pitaya-ts configuration the judged rows use; standalone unless said. */
  readonly config?: string;
}

/** Configurations named in the Goals table (the Markdown report spells them out). */
export const STANDALONE_CONFIG = 'standalone, Pitaya defaults';
export const CLUSTER_CONFIG = 'frontend→backend over gRPC, Pitaya defaults';

/**
 * The verdict on the best passes (`pitaya`, `baseline`); `spread` is every pass pair's ratio of the
 * judged row, reported next to it.
 */
function verdict(
  spec: RatioGoal, row: string | undefined, pitaya: RunRecord | undefined, baseline: RunRecord | undefined, baselineName: string, spread: readonly number[] = [],
): GoalResult {
  const passes = describeSpread(spread);
  const base = {
    goal: spec.goal, rule: spec.rule, config: spec.config ?? STANDALONE_CONFIG, ...(spec.informational ? { informational: true } : {}), ...(passes ? { passes } : {}),
  };
  const p = spec.metric(pitaya);
  const b = spec.metric(baseline);
  if (p === undefined || b === undefined || b === 0 || p === 0) {
    const why = pitaya?.error ?? baseline?.error;
    return { ...base, measured: why ? `not measured (${why})` : 'not measured', pass: undefined };
  }
  const value = spec.judge(p, b);
  const pass = spec.atMost ? value <= spec.threshold : value >= spec.threshold;
  const measured = `${fmtRatio(value)}${row ? ` (${row})` : ''}${generatorNote(baseline, baselineName)}${generatorNote(pitaya, 'pitaya-ts')}`;
  if (pass) return { ...base, measured, pass };
  const gap = spec.atMost
    ? `needs ${Math.round((1 - spec.threshold / value) * 100)} % less`
    : `needs +${Math.round((spec.threshold / value - 1) * 100)} %`;
  return { ...base, measured, pass, gap };
}

/** Appended to a goal's rule when its verdict comes from the interleaved pairs of `scenario`. */
const pairedRule = (scenario: ScenarioId): string =>
  `; judged on the median ratio of the interleaved pairs (${scenario}: both servers up, short windows alternating between them)`;

/**
 * The verdict of one row on its interleaved pairs (`pairedScenario`, bare against pitaya-ts): the
 * median of the pairs' ratios, with `value` that median. `passes` gives the pairs' range, then what
 * the sequential passes of the same row (`scenario`) alone would say (best pass against best pass,
 * and their pass-pair median), so a reader sees both methods side by side. `measured` names the row
 * when `nameRow` (a verdict on the worst of several rows). Undefined when the row has no pair.
 */
function pairedVerdict(
  runs: readonly RunRecord[], scenario: ScenarioId, pairedScenario: ScenarioId, row: string, spec: RatioGoal, nameRow = false,
): { readonly value: number; readonly result: GoalResult } | undefined {
  const ratios = passRatios(runs, pairedScenario, row, 'pitaya', 'bare', spec.metric, spec.judge);
  if (ratios.length === 0) return undefined;
  const value = median(ratios)!;
  const pass = spec.atMost ? value <= spec.threshold : value >= spec.threshold;
  const paired = [...passesFor(runs, pairedScenario, row, 'pitaya'), ...passesFor(runs, pairedScenario, row, 'bare')];
  const bound = paired.filter((r) => generatorBound(r)).length;
  const note = bound > 0 ? `; ⚠ generator above 85 % of its core in ${bound} of ${paired.length} paired runs` : '';
  const range = ratios.length > 1 ? `pairs ${fmtRatio(Math.min(...ratios)).replace('×', '')}–${fmtRatio(Math.max(...ratios))}` : 'one pair';
  const targets = rowsOf(runs, scenario).get(row);
  const p = spec.metric(targets?.get('pitaya'));
  const b = spec.metric(targets?.get('bare'));
  const seq = [
    p !== undefined && b !== undefined && p !== 0 && b !== 0 ? `best passes ${fmtRatio(spec.judge(p, b))}` : undefined,
    describeSpread(passRatios(runs, scenario, row, 'pitaya', 'bare', spec.metric, spec.judge)),
  ].filter((x): x is string => x !== undefined).join(', ');
  const result: GoalResult = {
    goal: spec.goal, rule: spec.rule + pairedRule(pairedScenario), config: spec.config ?? STANDALONE_CONFIG,
    measured: `${fmtRatio(value)} (${nameRow ? `worst row: ${row}, ` : ''}median of ${ratios.length} interleaved pair${ratios.length === 1 ? '' : 's'})${note}`,
    pass, passes: seq ? `${range}; sequential passes: ${seq}` : range,
  };
  if (pass) return { value, result };
  const gap = spec.atMost
    ? `needs ${Math.round((1 - spec.threshold / value) * 100)} % less`
    : `needs +${Math.round((spec.threshold / value - 1) * 100)} %`;
  return { value, result: { ...result, gap } };
}

/** The worst row of a scenario against a baseline target (one verdict for the whole scenario). */
function worstOf(
  runs: readonly RunRecord[], scenario: ScenarioId, pitayaId: TargetId, baselineId: TargetId, baselineName: string, spec: RatioGoal,
  filter: (row: string) => boolean = () => true,
): GoalResult {
  let worst: GoalResult | undefined;
  let worstValue = 0;
  for (const [row, targets] of rowsOf(runs, scenario)) {
    if (!filter(row)) continue;
    const p = spec.metric(targets.get(pitayaId));
    const b = spec.metric(targets.get(baselineId));
    if (p === undefined || b === undefined || b === 0 || p === 0) continue;
    const value = spec.judge(p, b);
    if (!worst || (spec.atMost ? value > worstValue : value < worstValue)) {
      worstValue = value;
      const spread = passRatios(runs, scenario, row, pitayaId, baselineId, spec.metric, spec.judge);
      worst = verdict(spec, `worst row: ${row}`, targets.get(pitayaId), targets.get(baselineId), baselineName, spread);
    }
  }
  return worst ?? {
    goal: spec.goal, rule: spec.rule, config: spec.config ?? STANDALONE_CONFIG, measured: 'not measured', pass: undefined, ...(spec.informational ? { informational: true } : {}),
  };
}

/**
 * The worst row of `scenario`'s interleaved pairs (`pairedScenario`), each row judged on the median
 * of its pairs' ratios, with the sequential passes of the same row beside it; `worstOf` on the
 * sequential passes when no row has pairs.
 */
function worstPairedOf(
  runs: readonly RunRecord[], scenario: ScenarioId, pairedScenario: ScenarioId, spec: RatioGoal,
): GoalResult {
  let worst: { readonly value: number; readonly result: GoalResult } | undefined;
  for (const row of rowsOf(runs, pairedScenario).keys()) {
    const judged = pairedVerdict(runs, scenario, pairedScenario, row, spec, true);
    if (judged && (!worst || (spec.atMost ? judged.value > worst.value : judged.value < worst.value))) worst = judged;
  }
  return worst?.result ?? worstOf(runs, scenario, 'pitaya', 'bare', 'bare', spec);
}

/**
 * Evaluates issue 14's performance goals on this run's records: one row per goal and echo row
 * (WebSocket and TCP × 100 and 1,000 clients × 64 B; on the interleaved pairs when they ran, else
 * on each target's best pass), the open-loop p99, the forwarded path, and
 * the broadcast (on the B-paired pairs when they ran) and idle-memory no-regression guards. A verdict whose baseline run was
 * generator-bound says so: the ratio then overstates pitaya-ts.
 */
export function evaluateGoals(runs: readonly RunRecord[]): GoalResult[] {
  const goals: GoalResult[] = [];
  const closed = rowsOf(runs, 'A-closed');
  for (const c of GOAL_ECHO_CASES) {
    const row = closedRowLabel(c.transport, c.clients, c.payload);
    const targets = closed.get(row);
    const pitaya = targets?.get('pitaya');
    const bare = targets?.get('bare');
    const label = `A echo ${c.transport} ${c.clients}c ${c.payload} B`;
    const specs: RatioGoal[] = [{
      goal: `${label}: req/s ≥ 0.9× bare`, rule: 'pitaya-ts ÷ bare answered requests/s, closed loop, same transport and clients',
      ...ECHO_FIGURES.throughput, threshold: 0.9, atMost: false,
    }, {
      goal: `${label}: server µs/request ≥ 0.9× bare's efficiency`,
      rule: 'bare µs ÷ pitaya-ts µs per request, where µs/request = server CPU time in the window ÷ requests answered in it',
      ...ECHO_FIGURES.micros, threshold: 0.9, atMost: false,
    }, {
      goal: `${label}: p99 ≤ 1.3× bare`, rule: 'pitaya-ts ÷ bare round-trip p99, closed loop, same transport and clients',
      ...ECHO_FIGURES.p99, threshold: 1.3, atMost: true,
    }];
    for (const spec of specs) {
      goals.push(pairedVerdict(runs, 'A-closed', 'A-paired', row, spec)?.result
        ?? verdict(spec, undefined, pitaya, bare, 'bare', passRatios(runs, 'A-closed', row, 'pitaya', 'bare', spec.metric, spec.judge)));
    }
  }
  const half = [...rowsOf(runs, 'A-open').entries()].find(([row]) => row.includes('@50%'));
  const openSpec: RatioGoal = {
    goal: 'A open loop at 50 % of the bare max: p99 ≤ 2× bare', rule: 'pitaya-ts ÷ bare p99 (from the intended send time), open loop ws 64 B, both offered 50 % of the best bare closed-loop ws 64 B rate',
    ...ECHO_FIGURES.p99, threshold: 2, atMost: true,
  };
  const openSpread = half ? passRatios(runs, 'A-open', half[0], 'pitaya', 'bare', openSpec.metric, openSpec.judge) : [];
  goals.push(verdict(openSpec, half?.[0], half?.[1].get('pitaya'), half?.[1].get('bare'), 'bare', openSpread));
  goals.push(worstOf(runs, 'D-forward', 'pitaya-cluster', 'bare-forward', 'bare forwarder', {
    goal: 'D forwarded ≥ 0.85× bare ws → raw grpc-js', rule: 'pitaya-ts frontend→backend (gRPC) ÷ bare ws → raw grpc-js forwarder req/s, every D row, both oversubscribed the same way',
    metric: throughputOf, judge: byRatio, threshold: 0.85, atMost: false, config: CLUSTER_CONFIG,
  }));
  goals.push(worstPairedOf(runs, 'B-closed', 'B-paired', {
    goal: 'B broadcast ≥ 0.95× bare (no-regression guard)', rule: 'pitaya-ts ÷ bare delivered msgs/s, every closed-loop broadcast row; guards the 0.99–1.17× measured before issue 14',
    metric: deliveredOf, judge: byRatio, threshold: 0.95, atMost: false,
  }));
  goals.push(worstOf(runs, 'C-idle', 'pitaya', 'bare', 'bare', {
    goal: 'C idle memory per connection ≤ 1.15× bare (no-regression guard)', rule: 'pitaya-ts ÷ bare server RSS growth per idle connection; guards the 1.08× measured before issue 14',
    metric: perConnectionKbOf, judge: byRatio, threshold: 1.15, atMost: true,
  }));
  goals.push(worstOf(runs, 'A-closed', 'pitaya', 'pinus', 'pinus', {
    goal: 'echo ≥ 2× pinus (informational)', rule: 'pitaya-ts ÷ pinus req/s, worst closed-loop 64 B echo row (pinus does not compress: the 1 KB rows are left out); an older project goal, not part of issue 14',
    metric: throughputOf, judge: byRatio, threshold: 2, atMost: false, informational: true,
  }, (row) => row.endsWith(' 64B')));
  goals.push(clusterBroadcastGoal(runs));
  return goals;
}

