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

/** Above this share of its core the generator, not the server, may be what limits a row. */
export const GENERATOR_BOUND = 0.85;

/** Share of its core the load generator used in the window (echo and broadcast records). */
export function generatorCpuOf(r: RunRecord | undefined): number | undefined {
  const x = r?.result;
  return x && x.kind !== 'idle' ? x.generatorCpu : undefined;
}

/**
 * True when the generator ran above {@link GENERATOR_BOUND} of its core in this record's window.
 * Never for open-loop rows: their pacer yields with `setImmediate` between slots under 1.5 ms
 * apart, so their generator CPU measures that spinning, not load (lateness shows in their latency).
 */
export function generatorBound(r: RunRecord | undefined): boolean {
  if (r?.result?.kind === 'echo-open') return false;
  return (generatorCpuOf(r) ?? 0) > GENERATOR_BOUND;
}

/** Server CPU time per answered request in the window (µs): server CPU share ÷ requests per second. */
export function serverMicrosPerRequestOf(r: RunRecord | undefined): number | undefined {
  const rate = throughputOf(r);
  const cpu = r?.serverCpu;
  return cpu === undefined || !rate ? undefined : (cpu * 1e6) / rate;
}
