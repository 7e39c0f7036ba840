import type { CustomMetricSpec, CustomMetricsSpec } from './observability-config';

/** Label values of one report, by label name. */
export type MetricLabels = Readonly<Record<string, string>>;
/** The kinds of custom metric. */
export type CustomMetricKind = 'counter' | 'gauge' | 'summary' | 'histogram';

/** What a reporter implements to receive custom metrics (already validated against their spec). */
export interface CustomMetricsSink {
  reportCustom(kind: CustomMetricKind, name: string, labels: MetricLabels, value: number): void;
}

/**
 * Custom metrics declared in `pitaya.metrics.custom`, reported from handlers: inject this class
 * (`constructor(private readonly metrics: CustomMetrics)`). Every enabled reporter receives each
 * report. Names and labels are checked against the declaration, so a typo is an error at the call,
 * never a new series: an undeclared metric throws "the provided metric does not exist" (Pitaya's
 * message), a label set different from the declared one throws naming both.
 */
export class CustomMetrics {
  private readonly specs = new Map<string, { kind: CustomMetricKind; labels: readonly string[] }>();

  constructor(spec: CustomMetricsSpec, private readonly sinks: readonly CustomMetricsSink[], private readonly additionalLabels: readonly string[] = []) {
    const add = (kind: CustomMetricKind, list: readonly CustomMetricSpec[]): void => {
      for (const s of list) this.specs.set(s.name, { kind, labels: s.labels });
    };
    add('counter', spec.counters);
    add('gauge', spec.gauges);
    add('summary', spec.summaries);
    add('histogram', spec.histograms);
  }

  /** Adds `value` (default 1) to a declared counter (Pitaya's `ReportCount`). */
  reportCount(metric: string, labels: MetricLabels = {}, value = 1): void {
    if (!(value >= 0)) throw new Error(`custom counter "${metric}" can only grow: ${value} is not a non-negative number`);
    this.report('counter', metric, labels, value);
  }

  /** Sets a declared gauge (Pitaya's `ReportGauge`). */
  reportGauge(metric: string, labels: MetricLabels, value: number): void {
    this.report('gauge', metric, labels, value);
  }

  /** Observes a value in a declared summary (Pitaya's `ReportSummary`). */
  reportSummary(metric: string, labels: MetricLabels, value: number): void {
    this.report('summary', metric, labels, value);
  }

  /** Observes a value in a declared histogram (Pitaya's `ReportHistogram`). */
  reportHistogram(metric: string, labels: MetricLabels, value: number): void {
    this.report('histogram', metric, labels, value);
  }

  private report(kind: CustomMetricKind, metric: string, labels: MetricLabels, value: number): void {
    const spec = this.specs.get(metric);
    if (spec === undefined || spec.kind !== kind) throw new Error(`the provided metric does not exist: ${kind} "${metric}"`);
    if (!Number.isFinite(value)) throw new Error(`custom ${kind} "${metric}": ${value} is not a finite number`);
    const given = Object.keys(labels);
    const wrong = given.length < spec.labels.length
      || spec.labels.some((l) => typeof labels[l] !== 'string')
      || given.some((l) => !spec.labels.includes(l) && !this.additionalLabels.includes(l));
    if (wrong) {
      throw new Error(`custom ${kind} "${metric}" takes the labels [${spec.labels.join(', ')}], got [${given.join(', ')}]`);
    }
    for (const sink of this.sinks) sink.reportCustom(kind, metric, labels, value);
  }
}
