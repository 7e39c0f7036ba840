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

/** Whole microseconds inside what the histogram tracks. */
function clampMicros(micros: number): number {
  const v = Math.round(micros);
  return v < 1 ? 1 : v > HIGHEST_MICROS ? HIGHEST_MICROS : v;
}

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
    this.histogram.recordValue(clampMicros(ms * 1000));
  }

  /** Records a latency given in microseconds. */
  recordMicros(micros: number): void {
    this.histogram.recordValue(clampMicros(micros));
  }

  /** Records `count` latencies of `micros` each (a histogram bucket from the native generator). */
  recordMicrosCount(micros: number, count: number): void {
    this.histogram.recordValueWithCount(clampMicros(micros), count);
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
