import { injectable } from 'inversify';
import {
  BootstrapError, CONFIG_SOURCE, ConfigSource, Inject, LOGGER, METRICS_REPORTER, Module, ModuleRegistry, NoopMetricsReporter, NoopTracer, SERVER_INFO, TRACER,
  type DynamicModule, type Logger, type MetricsReporter, type OnAfterInit, type OnInit, type OnShutdown, type ServerIdentity, type SessionModule,
  type Tracer,
} from '@pitaya-ts/core';
import { CompositeMetricsReporter } from './composite-reporter';
import { CustomMetrics, type CustomMetricsSink } from './custom-metrics';
import { MetricsHttpServer } from './metrics-server';
import { resolveMetricsConfig, type MetricsConfig, type MetricsConfigInput } from './observability-config';
import { correlateLogs, initializeOtel, OtelTracer, type OtelHandle, type OtelOptions } from './otel-tracer';
import { PrometheusReporter } from './prometheus-reporter';
import { discoveryOf, type DiscoveryView } from './server-stats';
import { StatsdReporter } from './statsd-reporter';

/** Options of {@link ObservabilityModule.forRoot}. */
export interface ObservabilityOptions {
  /** Pitaya's `pitaya.metrics.*` keys; `PITAYA_METRICS_*` variables override them. */
  readonly config?: MetricsConfigInput;
  /**
   * OpenTelemetry tracing (Go Pitaya's `InitializeOtel`), configured by the `OTEL_*` variables.
   * Off by default; `OTEL_SDK_DISABLED=true` turns it off again without a code change. While it
   * runs, log lines written inside a span carry `trace_id`, `span_id`, `route`, `session` and `uid`.
   * An object turns it on with {@link OtelOptions} (span processors of your own, a service name).
   */
  readonly tracing?: boolean | OtelOptions;
  /**
   * Serve `/healthz`, `/livez` and `/readyz` on the metrics port even when the Prometheus reporter is
   * off (they are always served when it is on).
   */
  readonly health?: boolean;
  /** Environment for `PITAYA_*` overrides (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Container token of the resolved {@link MetricsConfig}. */
export const METRICS_CONFIG = Symbol.for('pitaya-ts:MetricsConfig');
const OBSERVABILITY_OPTIONS = Symbol.for('pitaya-ts:ObservabilityOptions');

/**
 * Builds the reporters the configuration asks for, serves `/metrics` and the health probes, starts
 * and stops tracing, and tells readiness: ready once the acceptors listen (its `afterInit` runs
 * after they open) and discovery (if any) has registered the server; not ready once shutdown or
 * session draining begins.
 */
@injectable('Singleton')
export class ObservabilityRuntime implements OnInit, OnAfterInit, OnShutdown, SessionModule {
  readonly reporter: MetricsReporter;
  readonly custom: CustomMetrics;
  readonly tracer: Tracer;
  readonly prometheus: PrometheusReporter | undefined;
  private readonly statsd: StatsdReporter | undefined;
  private readonly otel: OtelHandle | undefined;
  private readonly uncorrelateLogs: (() => void) | undefined;
  private readonly http: MetricsHttpServer | undefined;
  private started = false;
  private draining = false;
  private statsdErrors = 0;
  /** Where the metrics/health server listens (after start), e.g. to print it. */
  address: { host: string; port: number } | undefined;

  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions,
    @Inject(SERVER_INFO) server: ServerIdentity,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly modules: ModuleRegistry,
  ) {
    const m = config.metrics;
    const discovery = (): DiscoveryView | undefined => discoveryOf(modules);
    const reporters: MetricsReporter[] = [];
    const sinks: CustomMetricsSink[] = [];
    if (m.prometheus.enabled || m.reporters.includes('prometheus')) {
      this.prometheus = new PrometheusReporter(config, server.type, discovery);
      reporters.push(this.prometheus);
      sinks.push(this.prometheus);
    }
    if (m.statsd.enabled || m.reporters.includes('statsd')) {
      try {
        this.statsd = new StatsdReporter(config, server.type, discovery, (error) => this.onStatsdError(error));
      } catch (error) {
        throw new BootstrapError('INVALID_CONFIG', `Invalid configuration pitaya.metrics.statsd.host: ${(error as Error).message}`, { cause: error });
      }
      reporters.push(this.statsd);
      sinks.push(this.statsd);
    }
    this.reporter = reporters.length === 0 ? new NoopMetricsReporter() : reporters.length === 1 ? reporters[0]! : new CompositeMetricsReporter(reporters);
    this.custom = new CustomMetrics(m.custom, sinks, Object.keys(m.additionalLabels));
    if (options.tracing) {
      this.otel = initializeOtel({ serviceName: server.type, ...(typeof options.tracing === 'object' ? options.tracing : {}) });
      this.tracer = new OtelTracer(this.otel.enabled);
      // Only when spans are recorded: otherwise pino gets no mixin and a log line costs what it did.
      if (this.otel.enabled) this.uncorrelateLogs = correlateLogs(log);
    } else {
      this.tracer = new NoopTracer();
    }
    if (this.prometheus || options.health) {
      const prometheus = this.prometheus;
      this.http = new MetricsHttpServer({
        metrics: prometheus && (async () => ({ contentType: prometheus.registry.contentType, body: await prometheus.metrics() })),
        notReadyReasons: () => this.notReadyReasons(),
      });
    }
  }

  /** Why the server should not receive traffic now; empty when ready. */
  notReadyReasons(): string[] {
    const reasons: string[] = [];
    if (!this.started) reasons.push('starting');
    if (this.draining) reasons.push('draining');
    const discovery = discoveryOf(this.modules);
    if (discovery && !discovery.healthy) reasons.push('not registered in service discovery');
    // Pitaya's IsReady also wants NATS connected; the NATS RPC modules expose `connected` (gRPC has no such state).
    for (const name of ['rpcClient', 'rpcServer']) {
      if ((this.modules.get(name) as { connected?: unknown } | undefined)?.connected === false) reasons.push(`${name}: NATS not connected`);
    }
    return reasons;
  }

  async onInit(): Promise<void> {
    if (!this.http) return;
    const { port, host } = this.config.metrics.prometheus;
    try {
      const address = await this.http.listen(port, host);
      this.address = { host: address.address, port: address.port };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is already in use` : (error as Error).message;
      throw new BootstrapError('LISTEN_FAILED', `Invalid configuration pitaya.metrics.prometheus.port: the metrics server cannot listen: ${reason}`, { cause: error });
    }
    this.log.info({ metrics: `http://${host || 'localhost'}:${this.address.port}/metrics`, health: ['/healthz', '/readyz'] }, 'metrics server listening');
  }

  onAfterInit(): void {
    this.modules.register('observability', this);
  }

  afterInit(): void {
    this.started = true;
  }

  beforeShutdown(): void {
    this.draining = true;
  }

  startSessionDraining(): void {
    this.draining = true;
  }

  sessionCount(): number {
    return 0;
  }

  async onShutdown(): Promise<void> {
    await this.http?.close();
    this.prometheus?.close();
    await this.statsd?.close();
    this.uncorrelateLogs?.();
    await this.otel?.shutdown();
  }

  private onStatsdError(error: Error): void {
    // A StatsD agent that is down must not flood the log: the first error, then one in a thousand.
    if (this.statsdErrors++ % 1000 === 0) this.log.warn({ err: error, errors: this.statsdErrors }, 'statsd send failed');
  }
}

/**
 * Metrics, tracing and health probes, turned on by Pitaya's configuration keys: import
 * `ObservabilityModule.forRoot()` and set `pitaya.metrics.prometheus.enabled` (or
 * `PITAYA_METRICS_PROMETHEUS_ENABLED=true`), `pitaya.metrics.statsd.enabled`, `tracing: true`.
 * It replaces core's no-op `METRICS_REPORTER` and `TRACER` and provides {@link CustomMetrics}.
 *
 * @example
 * ```ts
 * @Module({ imports: [ObservabilityModule.forRoot({ config: { metrics: { prometheus: { enabled: true } } }, tracing: true })] })
 * class AppModule {}
 * ```
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      // Infrastructure: handlers of any module inject CustomMetrics without importing this module.
      global: true,
      exports: [CustomMetrics, METRICS_CONFIG, ObservabilityRuntime],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        // The configuration file and environment of Pitaya.create apply to pitaya.metrics.* too; options.env (tests) wins.
        {
          provide: METRICS_CONFIG,
          useFactory: (source: ConfigSource) => resolveMetricsConfig(options.config, options.env ? new ConfigSource(options.env, source.file) : source),
          inject: [CONFIG_SOURCE],
        },
        ObservabilityRuntime,
        { provide: METRICS_REPORTER, useFactory: (runtime: ObservabilityRuntime) => runtime.reporter, inject: [ObservabilityRuntime] },
        { provide: TRACER, useFactory: (runtime: ObservabilityRuntime) => runtime.tracer, inject: [ObservabilityRuntime] },
        { provide: CustomMetrics, useFactory: (runtime: ObservabilityRuntime) => runtime.custom, inject: [ObservabilityRuntime] },
      ],
    };
  }
}
