import type { RunRecord } from './report-types';

/** Requests (or forwarded requests) per second of an echo record. */
export function throughputOf(r: RunRecord | undefined): number | undefined {
  const x = r?.result;
  return x && (x.kind === 'echo-closed' || x.kind === 'echo-open') ? x.throughput : undefined;
}

/** Delivered pushes per second of a broadcast record. */
export function deliveredOf(r: RunRecord | undefined): number | undefined {
  const x = r?.result;
  return x?.kind === 'broadcast' ? x.deliveredPerSec : undefined;
}

/** A latency percentile (µs) of an echo or broadcast record. */
export function percentileOf(r: RunRecord | undefined, p: 'p50' | 'p90' | 'p99' | 'p999' | 'max'): number | undefined {
  const x = r?.result;
  if (!x || x.kind === 'idle' || x.latency.count === 0) return undefined;
  return x.latency[p];
}

/** Server memory per idle connection (KiB). */
export function perConnectionKbOf(r: RunRecord | undefined): number | undefined {
  return r?.memory?.perConnectionKb;
}
