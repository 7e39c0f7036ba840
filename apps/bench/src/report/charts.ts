import type { TargetId } from '../targets/target';
import { rowsOf } from './compare';
import { deliveredOf, percentileOf, throughputOf } from './metrics';
import type { BenchReport } from './report-types';
import { groupedBarChart, lineChart, type BarSeries, type LineSeries } from './svg-chart';

/** Colours per target, also used by the Markdown legend. */
export const TARGET_COLORS: Readonly<Record<TargetId, string>> = {
  bare: '#7f7f7f',
  pinus: '#d62728',
  pitaya: '#1f77b4',
  'pitaya-uncompressed': '#9467bd',
  'pitaya-prometheus': '#ff7f0e',
  'pitaya-tracing': '#17becf',
  'bare-forward': '#bcbd22',
  'pitaya-cluster': '#2ca02c',
  'bare-forward-nats': '#17becf',
  'pitaya-cluster-nats': '#8c564b',
  'pitaya-cluster-broadcast': '#e377c2',
};

const MAIN: readonly { id: TargetId; name: string }[] = [
  { id: 'bare', name: 'bare ws' },
  { id: 'pinus', name: 'pinus 1.7.4' },
  { id: 'pitaya', name: 'pitaya-ts' },
];

/** A chart: the file suffix and its SVG. */
export interface Chart {
  readonly suffix: string;
  readonly title: string;
  readonly svg: string;
}

/** Closed-loop 64 B echo throughput vs clients, one line per target and transport (TCP dashed). */
function throughputChart(report: BenchReport): Chart {
  const rows = rowsOf(report.runs, 'A-closed');
  const cases = report.plan.echoCases.filter((c) => c.payload === 64);
  const clients = [...new Set(cases.map((c) => c.clients))].sort((a, b) => a - b);
  const series: LineSeries[] = [];
  for (const transport of ['ws', 'tcp'] as const) {
    if (!cases.some((c) => c.transport === transport)) continue;
    for (const t of MAIN) {
      series.push({
        name: `${t.name}, ${transport === 'ws' ? 'WebSocket' : 'TCP'}`,
        color: TARGET_COLORS[t.id],
        dashed: transport === 'tcp',
        values: clients.map((c) => throughputOf(rows.get(`A-closed ${transport} ${c}c 64B`)?.get(t.id))),
      });
    }
  }
  return {
    suffix: 'throughput',
    title: 'Echo throughput vs clients',
    svg: lineChart({ title: 'A · echo 64 B, closed loop: requests/s vs clients', yLabel: 'requests / s', xLabel: 'concurrent clients', categories: clients.map(String) }, series),
  };
}

/** Open-loop latency percentiles at 50 % of the bare maximum, per target. */
function latencyChart(report: BenchReport): Chart {
  const half = [...rowsOf(report.runs, 'A-open').entries()].find(([row]) => row.includes('@50%'));
  const percentiles = ['p50', 'p90', 'p99', 'p999'] as const;
  const series: BarSeries[] = MAIN.map((t) => ({
    name: t.name,
    color: TARGET_COLORS[t.id],
    values: percentiles.map((p) => {
      const v = percentileOf(half?.[1].get(t.id), p);
      return v === undefined ? undefined : v / 1000;
    }),
  }));
  return {
    suffix: 'latency',
    title: 'Echo latency percentiles at 50 % of the bare maximum',
    svg: groupedBarChart({ title: `A · open loop at 50 % of bare max (${half?.[0] ?? 'not run'}): latency`, yLabel: 'ms (log scale)', categories: ['p50', 'p90', 'p99', 'p99.9'], logY: true }, series),
  };
}

/** p99 vs offered load (25/50/75 % of the bare maximum). */
function latencyVsLoadChart(report: BenchReport): Chart {
  const rows = [...rowsOf(report.runs, 'A-open').entries()];
  const series: LineSeries[] = MAIN.map((t) => ({
    name: `${t.name} p99`,
    color: TARGET_COLORS[t.id],
    values: rows.map(([, targets]) => {
      const v = percentileOf(targets.get(t.id), 'p99');
      return v === undefined ? undefined : v / 1000;
    }),
  }));
  const categories = rows.map(([, targets]) => {
    const any = [...targets.values()][0];
    return `${Math.round((any?.fractionOfBareMax ?? 0) * 100)} % (${Math.round((any?.ratePerSec ?? 0) / 1000)}k/s)`;
  });
  return {
    suffix: 'latency-vs-load',
    title: 'Echo p99 vs offered load',
    svg: lineChart({ title: 'A · open loop: p99 latency vs offered load (share of bare max)', yLabel: 'p99 ms (log scale)', xLabel: 'offered load', categories, logY: true }, series),
  };
}

/** Broadcast: end-to-end p50/p99 at a fixed rate, and capacity, per room size. */
function broadcastChart(report: BenchReport): Chart {
  const rows = [...rowsOf(report.runs, 'B-rate').entries()];
  const categories: string[] = [];
  const values: Record<string, (number | undefined)[]> = {};
  for (const t of MAIN) values[t.id] = [];
  for (const [, targets] of rows) {
    const size = [...targets.values()][0]?.roomSize ?? 0;
    for (const p of ['p50', 'p99'] as const) {
      categories.push(`${size}/room ${p}`);
      for (const t of MAIN) {
        const v = percentileOf(targets.get(t.id), p);
        values[t.id]!.push(v === undefined ? undefined : v / 1000);
      }
    }
  }
  const series: BarSeries[] = MAIN.map((t) => ({ name: t.name, color: TARGET_COLORS[t.id], values: values[t.id]! }));
  return {
    suffix: 'broadcast',
    title: 'Broadcast end-to-end latency',
    svg: groupedBarChart({ title: `B · broadcast at ${report.plan.ratePerSender} msg/s per sender: end-to-end latency`, yLabel: 'ms (log scale)', categories, logY: true }, series),
  };
}

/** Broadcast capacity (closed mode). */
function broadcastCapacityChart(report: BenchReport): Chart {
  const rows = [...rowsOf(report.runs, 'B-closed').entries()];
  const series: BarSeries[] = MAIN.map((t) => ({ name: t.name, color: TARGET_COLORS[t.id], values: rows.map(([, targets]) => deliveredOf(targets.get(t.id))) }));
  const categories = rows.map(([, targets]) => `${[...targets.values()][0]?.roomSize ?? 0} per room`);
  return {
    suffix: 'broadcast-capacity',
    title: 'Broadcast capacity',
    svg: groupedBarChart({ title: 'B · broadcast capacity (closed loop, 64 in flight): delivered msgs/s', yLabel: 'delivered pushes / s', categories }, series),
  };
}

/** Every chart of the report. */
export function buildCharts(report: BenchReport): Chart[] {
  return [throughputChart(report), latencyChart(report), latencyVsLoadChart(report), broadcastChart(report), broadcastCapacityChart(report)];
}
