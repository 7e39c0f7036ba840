import { NoopMetricsReporter, type MetricsReporter } from './metrics-reporter';

/**
 * Whether `metrics` records `messageHandled`, i.e. is worth a clock read and a record per message:
 * false only for exactly the default no-op (a reporter extending it to override a few methods
 * measures). Internal: the hot paths check it once, at construction.
 */
export function measuresMessages(metrics: MetricsReporter): boolean {
  return typeof metrics.handlerDelay === 'function' || Object.getPrototypeOf(metrics) !== NoopMetricsReporter.prototype;
}
