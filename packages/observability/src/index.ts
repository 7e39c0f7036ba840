/**
 * `@pitaya-ts/observability`: Pitaya's Prometheus and StatsD metrics, custom metrics, OpenTelemetry
 * tracing across servers and health probes, as one module (`ObservabilityModule.forRoot()`).
 */
export * from './composite-reporter';
export * from './custom-metrics';
export * from './metrics-server';
export * from './observability-config';
export * from './observability.module';
export * from './otel-tracer';
export * from './prometheus-reporter';
export * from './response-time';
export * from './server-stats';
export * from './statsd-reporter';
