/**
 * Pitaya's `response_time_ns` summary and our histogram of the same observations, kept in plain
 * typed arrays and turned into Prometheus samples only when scraped. prom-client's own summary
 * pushes every observation into a t-digest per age bucket (≈ 4–10 µs a message here, a quarter of
 * a whole echo) and hashes the label set on every call; this store costs a few array writes.
 *
 * Quantiles come from log-linear bins — 16 per power of two from 1 µs up, so a reported quantile
 * is within ±3 % of the true value — over a sliding window of `maxAgeSeconds` made of
 * `ageBuckets` rotating parts, as Go's `prometheus.SummaryOpts{MaxAge, AgeBuckets}`. `_sum` and
 * `_count` are cumulative, as Prometheus expects.
 */

type Labels = Readonly<Record<string, string>>;

const SUB_BITS = 4;
const SUBS = 1 << SUB_BITS;
const EXPONENTS = 31;
const BINS = EXPONENTS * SUBS;
/** Observations are in ns; the bins start at 2^10 ns ≈ 1 µs. */
const SCALE = 1024;

function binOf(ns: number): number {
  const scaled = Math.floor(ns / SCALE);
  if (scaled <= 0) return 0;
  if (scaled >= 2 ** EXPONENTS) return BINS - 1;
  const e = 31 - Math.clz32(scaled);
  const sub = e >= SUB_BITS ? (scaled >>> (e - SUB_BITS)) & (SUBS - 1) : (scaled << (SUB_BITS - e)) & (SUBS - 1);
  return e * SUBS + sub;
}

/** Middle of a bin, in ns. */
function valueOf(bin: number): number {
  const e = Math.floor(bin / SUBS);
  const sub = bin % SUBS;
  return 2 ** e * (1 + (sub + 0.5) / SUBS) * SCALE;
}

/** One label set's observations. */
export class ResponseTimeSeries {
  count = 0;
  sum = 0;
  /** Per histogram bucket (not cumulative; the last is +Inf). */
  readonly histogram: Float64Array;
  /** Quantile bins per age part. */
  readonly windows: Uint32Array[];

  constructor(readonly labels: Labels, buckets: number, ageBuckets: number) {
    this.histogram = new Float64Array(buckets + 1);
    this.windows = Array.from({ length: ageBuckets }, () => new Uint32Array(BINS));
  }
}

/** Options of {@link ResponseTimeStore}. */
export interface ResponseTimeOptions {
  readonly percentiles: readonly number[];
  readonly buckets: readonly number[];
  readonly maxAgeSeconds: number;
  readonly ageBuckets: number;
}

/** Response-time observations of one application, exposed as a summary and a histogram. */
export class ResponseTimeStore {
  private readonly series: ResponseTimeSeries[] = [];
  private current = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: ResponseTimeOptions) {
    this.timer = setInterval(() => this.rotate(), (options.maxAgeSeconds * 1000) / options.ageBuckets);
    this.timer.unref();
  }

  /** A new series (callers cache it per label set). */
  create(labels: Labels): ResponseTimeSeries {
    const series = new ResponseTimeSeries(labels, this.options.buckets.length, this.options.ageBuckets);
    this.series.push(series);
    return series;
  }

  observe(series: ResponseTimeSeries, ns: number): void {
    series.count++;
    series.sum += ns;
    const bounds = this.options.buckets;
    let i = 0;
    while (i < bounds.length && ns > bounds[i]!) i++;
    series.histogram[i]!++;
    series.windows[this.current]![binOf(ns)]!++;
  }

  /** Drops the oldest age part: it becomes the part new observations go to. */
  rotate(): void {
    this.current = (this.current + 1) % this.options.ageBuckets;
    for (const s of this.series) s.windows[this.current]!.fill(0);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** prom-client metric objects (`registry.registerMetric`) for the summary and the histogram. */
  metrics(summaryName: string, histogramName: string, help: string): [PromMetric, PromMetric] {
    return [
      { name: summaryName, help, type: 'summary', aggregator: 'sum', get: () => Promise.resolve(this.summary(summaryName, help)), reset: () => undefined },
      { name: histogramName, help: `${help} (histogram)`, type: 'histogram', aggregator: 'sum', get: () => Promise.resolve(this.histogramOf(histogramName, help)), reset: () => undefined },
    ];
  }

  private summary(name: string, help: string): PromMetricValue {
    const values: PromSampleValue[] = [];
    const merged = new Float64Array(BINS);
    for (const s of this.series) {
      merged.fill(0);
      let total = 0;
      for (const w of s.windows) {
        for (let b = 0; b < BINS; b++) merged[b]! += w[b]!;
      }
      for (let b = 0; b < BINS; b++) total += merged[b]!;
      for (const q of this.options.percentiles) {
        values.push({ labels: { ...s.labels, quantile: q }, value: total === 0 ? NaN : quantileOf(merged, total, q) });
      }
      values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
    }
    return { name, help, type: 'summary', values, aggregator: 'sum' };
  }

  private histogramOf(name: string, help: string): PromMetricValue {
    const values: PromSampleValue[] = [];
    const bounds = this.options.buckets;
    for (const s of this.series) {
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += s.histogram[i]!;
        values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: i < bounds.length ? bounds[i]! : '+Inf' }, value: cumulative });
      }
      values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
    }
    return { name, help: `${help} (histogram)`, type: 'histogram', values, aggregator: 'sum' };
  }
}

function quantileOf(bins: Float64Array, total: number, q: number): number {
  const rank = q * total;
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b]!;
    if (seen >= rank && bins[b]! > 0) return valueOf(b);
  }
  return valueOf(bins.length - 1);
}

interface PromSampleValue {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}
interface PromMetricValue {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: PromSampleValue[];
  readonly aggregator: string;
}
/** The shape prom-client's `Registry` reads from a metric. */
export interface PromMetric {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  get(): Promise<PromMetricValue>;
  reset(): void;
}
