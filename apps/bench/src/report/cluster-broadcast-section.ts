import { fmtInt, fmtMs, fmtRatio, ratio, rowsOf, table } from './compare';
import { deliveredOf, percentileOf } from './metrics';
import type { BenchReport, RunRecord } from './report-types';

function cells(r: RunRecord | undefined): string[] {
  if (!r) return ['not run', '–', '–', '–', '–'];
  if (r.error) return [`not run: ${r.error}`, '–', '–', '–', '–'];
  const x = r.result?.kind === 'broadcast' ? r.result : undefined;
  const pct = (v: number | undefined): string => (v === undefined ? '–' : `${Math.round(v * 100)} %`);
  return [fmtInt(deliveredOf(r)), fmtMs(percentileOf(r, 'p50')), fmtMs(percentileOf(r, 'p99')), x ? fmtInt(x.stalls) : '–', pct(x?.generatorCpu)];
}

/** The cluster broadcast rows (B-cluster): standalone pitaya-ts and backend → 2 frontends, side by side. */
export function clusterBroadcastSection(report: BenchReport): string {
  const status = report.targets.find((t) => t.id === 'pitaya-cluster-broadcast');
  const rows = [...rowsOf(report.runs, 'B-cluster').entries()].map(([row, targets]) => {
    const cluster = targets.get('pitaya-cluster-broadcast');
    const standalone = targets.get('pitaya');
    return [row, ...cells(standalone), ...cells(cluster), fmtRatio(ratio(deliveredOf(cluster), deliveredOf(standalone)))];
  });
  return [
    '## B-cluster · Broadcast from a backend to members on two frontends (gRPC) — oversubscribed: backend, 2 frontends and the generator on 2 cores',
    `Status: **${status?.status ?? 'not run'}**. ${status?.description ?? ''}. One room, closed loop as in B with a bounded window of broadcasts in flight, ` +
      `spread over as many senders (the room's last members; each sends its next message when it gets its own copy), ${report.plan.broadcastPayload} B payload; the baseline is scenario B's standalone pitaya-ts server (CPU 0) with the same room in the same run. ` +
      'Each broadcast: the backend reads the members from its groups, their frontends from the watched binding cache, serializes the body once and queues one ' +
      'batch per frontend; the batches of every broadcast started in one turn of the backend leave in one `sys.pushusersmulti` call per frontend (the room\'s uid list ' +
      'once per call), and each frontend frames each push once and hands each member the call\'s run of pushes in one write (one WebSocket message per push). ' +
      'The standalone server writes each broadcast to each member as it is handled (coalesced per turn by the socket\'s cork).',
    rows.length
      ? table(['case', 'standalone msgs/s', 'p50 ms', 'p99 ms', 'stalls', 'generator CPU', 'cluster msgs/s', 'p50 ms', 'p99 ms', 'stalls', 'generator CPU', 'cluster ÷ standalone'], rows)
      : '_not run_',
  ].join('\n\n');
}
