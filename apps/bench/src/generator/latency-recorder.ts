import * as hdr from 'hdr-histogram-js';

/** Percentiles of one run, in microseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Highest latency tracked exactly: 60 s. Anything slower is clamped (and is a failed run anyway). */
const HIGHEST_MICROS = 60_000_000;

/** An HDR histogram of latencies at microsecond resolution, 3 significant digits. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });

  /** Records a latency given in milliseconds (`performance.now()` differences). */
  recordMillis(ms: number): void {
    const micros = Math.round(ms * 1000);
    this.histogram.recordValue(micros < 1 ? 1 : micros > HIGHEST_MICROS ? HIGHEST_MICROS : micros);
  }

  /** Records a latency given in microseconds. */
  recordMicros(micros: number): void {
    const v = Math.round(micros);
    this.histogram.recordValue(v < 1 ? 1 : v > HIGHEST_MICROS ? HIGHEST_MICROS : v);
  }

  /** Records `count` latencies of `micros` each (a histogram bucket from the native generator). */
  recordMicrosCount(micros: number, count: number): void {
    const v = Math.round(micros);
    this.histogram.recordValueWithCount(v < 1 ? 1 : v > HIGHEST_MICROS ? HIGHEST_MICROS : v, count);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    return {
      count: h.totalCount,
      mean: Math.round(h.mean),
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
    };
  }
}
