import { GOAL_ECHO_CASES } from '../orchestrator/plan';
import type { TargetId } from '../targets/target';
import { fmtInt, fmtMs, fmtRatio, rowsOf, table } from './compare';
import { byRatio, closedRowLabel, ECHO_FIGURES, type JudgedMetric } from './goals';
import { deliveredOf, generatorBound, throughputOf } from './metrics';
import { passesFor, passRatios } from './pass-spread';
import type { BenchReport, ScenarioId } from './report-types';

/** One judged figure of one row: which targets it compares, and how (the Goals table's metric and ratio). */
interface JudgedFigure extends JudgedMetric {
  readonly scenario: ScenarioId;
  readonly row: string;
  /** What the table's row column says when it is not `row` (the paired rows). */
  readonly label?: string;
  readonly figure: string;
  readonly baseline: TargetId;
  readonly pitaya: TargetId;
  readonly format: (v: number) => string;
}
const kilo = (v: number): string => `${(v / 1000).toFixed(1)}k`;

/** Every judged figure of the report's rows, in the Goals table's order. */
function judgedFigures(report: BenchReport): JudgedFigure[] {
  const figures: JudgedFigure[] = [];
  for (const c of GOAL_ECHO_CASES) {
    const base = { scenario: 'A-closed' as const, row: closedRowLabel(c.transport, c.clients, c.payload), baseline: 'bare' as const, pitaya: 'pitaya' as const };
    figures.push({ ...base, figure: 'req/s', ...ECHO_FIGURES.throughput, format: kilo });
    figures.push({ ...base, figure: 'server µs/request', ...ECHO_FIGURES.micros, format: (v) => v.toFixed(1) });
    figures.push({ ...base, figure: 'p99 ms', ...ECHO_FIGURES.p99, format: fmtMs });
  }
  for (const c of GOAL_ECHO_CASES) {
    const row = closedRowLabel(c.transport, c.clients, c.payload);
    if (passesFor(report.runs, 'A-paired', row, 'pitaya').length === 0) continue;
    const base = { scenario: 'A-paired' as const, row, label: `${row}, interleaved pairs`, baseline: 'bare' as const, pitaya: 'pitaya' as const };
    figures.push({ ...base, figure: 'req/s', ...ECHO_FIGURES.throughput, format: kilo });
    figures.push({ ...base, figure: 'server µs/request', ...ECHO_FIGURES.micros, format: (v) => v.toFixed(1) });
    figures.push({ ...base, figure: 'p99 ms', ...ECHO_FIGURES.p99, format: fmtMs });
  }
  const rowsIn = (scenario: ScenarioId, keep: (row: string) => boolean = () => true): string[] => [...rowsOf(report.runs, scenario).keys()].filter(keep);
  for (const row of rowsIn('A-open', (r) => r.includes('@50%'))) {
    figures.push({ scenario: 'A-open', row, figure: 'p99 ms', baseline: 'bare', pitaya: 'pitaya', ...ECHO_FIGURES.p99, format: fmtMs });
  }
  for (const row of rowsIn('B-closed')) {
    figures.push({ scenario: 'B-closed', row, figure: 'delivered/s', baseline: 'bare', pitaya: 'pitaya', metric: deliveredOf, format: kilo, judge: byRatio });
  }
  for (const row of rowsIn('B-paired')) {
    figures.push({ scenario: 'B-paired', row, label: `${row}, interleaved pairs`, figure: 'delivered/s', baseline: 'bare', pitaya: 'pitaya', metric: deliveredOf, format: kilo, judge: byRatio });
  }
  for (const row of rowsIn('D-forward')) {
    figures.push({ scenario: 'D-forward', row, figure: 'req/s', baseline: 'bare-forward', pitaya: 'pitaya-cluster', metric: throughputOf, format: fmtInt, judge: byRatio });
  }
  for (const row of rowsIn('B-cluster')) {
    figures.push({ scenario: 'B-cluster', row, figure: 'delivered/s', baseline: 'pitaya', pitaya: 'pitaya-cluster-broadcast', metric: deliveredOf, format: kilo, judge: byRatio });
  }
  return figures;
}

/** `63.3k · **64.1k** · 51.0k ⚠`: each pass in the order it ran, the one the tables keep in bold. */
function passList(report: BenchReport, f: JudgedFigure, target: TargetId): string {
  // The paired rows feed only the Goals table: none of them is "kept" by another table.
  const kept = f.scenario === 'A-paired' || f.scenario === 'B-paired' ? undefined : rowsOf(report.runs, f.scenario).get(f.row)?.get(target);
  const passes = passesFor(report.runs, f.scenario, f.row, target);
  if (passes.length === 0) return '–';
  return passes.map((r) => {
    const v = r.error ? undefined : f.metric(r);
    const text = v === undefined ? 'failed' : f.format(v) + (generatorBound(r) ? ' ⚠' : '');
    return r === kept ? `**${text}**` : text;
  }).join(' · ');
}

/**
 * "Judged rows, pass by pass": every pass of every judged figure for both sides and the ratio of
 * each pass pair, so a reader sees the spread behind the best-pass verdicts. Empty when the run
 * made one pass.
 */
export function passesSection(report: BenchReport): string | undefined {
  if (report.plan.goalRepeats === 0 && !report.runs.some((r) => r.scenario === 'A-paired' || r.scenario === 'B-paired')) return undefined;
  const rows = judgedFigures(report).map((f) => {
    const ratios = passRatios(report.runs, f.scenario, f.row, f.pitaya, f.baseline, f.metric, f.judge);
    return [f.label ?? f.row, f.figure, passList(report, f, f.baseline), passList(report, f, f.pitaya), ratios.map((r) => fmtRatio(r)).join(' · ') || '–'];
  });
  return [
    '## Judged rows, pass by pass',
    'Every pass of the rows the Goals table judges, in the order they ran (the main pass first); the pass every other table keeps is in bold. ' +
      'The baseline is bare, the bare forwarder for D, and standalone pitaya-ts for the cluster broadcast. "Ratios" pairs the k-th pass of both sides ' +
      '(the extra passes start them back to back; the main passes ran minutes apart), in the direction the goal judges (bare µs ÷ pitaya-ts µs for efficiency). ' +
      'The "interleaved pairs" rows are scenarios A-paired and B-paired, which the echo goals and the broadcast guard are judged on: pair k\'s two windows ran seconds apart, against the same two running servers.',
    table(['row', 'figure', 'baseline passes', 'pitaya-ts passes', 'ratios, pass by pass'], rows),
  ].join('\n\n');
}
