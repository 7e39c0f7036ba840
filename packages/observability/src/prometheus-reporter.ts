import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import type { HandledMessage, MetricsReporter, RefusalReason } from '@pitaya-ts/core';
import type { CustomMetricKind, CustomMetricsSink, MetricLabels } from './custom-metrics';
import type { MetricsConfig } from './observability-config';
import { ResponseTimeStore, type ResponseTimeSeries } from './response-time';
import { countServersByType, EventLoopMeter, type DiscoveryLookup } from './server-stats';

/** Buckets of the response-time histogram, in nanoseconds: 100 µs … 5 s (Pitaya's 1–10000 ns buckets put every request in +Inf). */
export const RESPONSE_TIME_BUCKETS_NS = [1e5, 5e5, 1e6, 5e6, 1e7, 5e7, 1e8, 5e8, 1e9, 5e9];

/** Objectives of Pitaya's response-time summary. */
const RESPONSE_TIME_PERCENTILES = [0.7, 0.95, 0.99];

/**
 * Pitaya's Prometheus metrics (spec §7.1) on prom-client, in a registry of this application (two
 * applications in one process never mix series). Every metric has the const labels `game`,
 * `serverType` and `pitaya.metrics.constlabels`, and the keys of `pitaya.metrics.additionallabels`
 * as variable labels filled with their defaults.
 *
 * Label values come from the route table, error codes and closed sets, never from what a client
 * sent (see `HandledMessage.route`), so the number of series is bounded by the application.
 */
export class PrometheusReporter implements MetricsReporter, CustomMetricsSink {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry();
  private readonly additional: Record<string, string>;
  private readonly additionalNames: string[];
  private readonly responseTime: ResponseTimeStore;
  private readonly handlerDelays: ResponseTimeStore;
  private readonly connectedClients: Gauge<string>;
  private readonly rateLimiting: Counter<string>;
  private readonly malformed: Counter<string>;
  private readonly slowConsumers: Counter<string>;
  private readonly refusals: Counter<string>;
  private readonly rpcTimeouts: Counter<string>;
  private readonly workerJobs: Gauge<string>;
  private readonly workerRetries: Gauge<string>;
  private readonly workerQueue: Gauge<string>;
  private readonly droppedMessages: Gauge<string>;
  private readonly custom = new Map<string, Counter<string> | Gauge<string> | Summary<string> | Histogram<string>>();
  /** Series per type → route → code: no label hashing or allocation per message after the first. */
  private readonly observers = { handler: new Map<string, Map<string, ResponseTimeSeries>>(), rpc: new Map<string, Map<string, ResponseTimeSeries>>() };
  /** Delay series per type → route, cached like `observers`. */
  private readonly delayObservers = { local: new Map<string, ResponseTimeSeries>(), remote: new Map<string, ResponseTimeSeries>() };
  private connected = 0;

  constructor(config: MetricsConfig, serverType: string, discovery: DiscoveryLookup = () => undefined) {
    const m = config.metrics;
    this.additional = { ...m.additionalLabels };
    this.additionalNames = Object.keys(this.additional);
    this.registry.setDefaultLabels({ ...m.constLabels, game: m.game, serverType });
    const registers = [this.registry];
    const labels = (...names: string[]): string[] => [...names, ...this.additionalNames];

    // Go's MaxAge 10 min in 5 age buckets; see ResponseTimeStore for why not prom-client's Summary.
    this.responseTime = new ResponseTimeStore({ percentiles: RESPONSE_TIME_PERCENTILES, buckets: RESPONSE_TIME_BUCKETS_NS, maxAgeSeconds: 600, ageBuckets: 5 });
    for (const metric of this.responseTime.metrics('pitaya_handler_response_time_ns', 'pitaya_handler_response_time_histogram_ns', 'the time to process a msg in nanoseconds')) {
      this.registry.registerMetric(metric as never);
    }
    // Pitaya's `handler_delay_ns`: a summary with the response time's objectives and window; Go has no
    // histogram of it, so only the summary is registered.
    this.handlerDelays = new ResponseTimeStore({ percentiles: RESPONSE_TIME_PERCENTILES, buckets: [], maxAgeSeconds: 600, ageBuckets: 5 });
    const [delaySummary] = this.handlerDelays.metrics('pitaya_handler_handler_delay_ns', 'pitaya_handler_handler_delay_histogram_ns', 'the delay to start processing a msg in nanoseconds');
    this.registry.registerMetric(delaySummary as never);
    this.connectedClients = new Gauge({
      name: 'pitaya_acceptor_connected_clients', help: 'the number of clients connected right now', labelNames: labels(), registers,
    });
    this.rateLimiting = new Counter({
      name: 'pitaya_acceptor_exceeded_rate_limiting', help: 'the number of blocked requests by exceeded rate limiting', labelNames: labels(), registers,
    });
    this.malformed = new Counter({
      name: 'pitaya_acceptor_malformed_packets_total', help: 'connections closed because the client sent bytes that are not the protocol', labelNames: labels('reason'), registers,
    });
    this.slowConsumers = new Counter({
      name: 'pitaya_acceptor_slow_consumers_total', help: 'clients disconnected because they could not keep up with what they were sent', labelNames: labels(), registers,
    });
    this.refusals = new Counter({
      name: 'pitaya_acceptor_refused_total', help: 'connections, handshakes or bodies refused for a protective reason', labelNames: labels('reason'), registers,
    });
    this.rpcTimeouts = new Counter({
      name: 'pitaya_rpc_client_timeouts_total', help: 'outgoing RPCs that got no answer in time', labelNames: labels('serverType'), registers,
    });
    // Reliable RPC (@pitaya-ts/worker): Pitaya's worker gauges, names and help as in Go.
    this.workerJobs = new Gauge({ name: 'pitaya_worker_worker_jobs_total', help: 'the total executed jobs', labelNames: labels('status'), registers });
    this.workerRetries = new Gauge({ name: 'pitaya_worker_worker_jobs_retry_total', help: 'the current number of job retries', labelNames: labels(), registers });
    this.workerQueue = new Gauge({ name: 'pitaya_worker_worker_queue_size', help: 'the current queue size', labelNames: labels('queue'), registers });
    // A gauge holding the running total, as Go Pitaya reports `dropped_messages` (NATS slow-consumer drops).
    this.droppedMessages = new Gauge({
      name: 'pitaya_rpc_server_dropped_messages', help: 'the number of rpc server dropped messages (not handled)', labelNames: labels(), registers,
    });
    const additional = this.additional;
    new Gauge({
      name: 'pitaya_service_discovery_count_servers', help: 'the number of discovered servers by service type', labelNames: labels('type'), registers,
      collect() {
        this.reset();
        for (const [type, count] of countServersByType(discovery)) this.set({ ...additional, type }, count);
      },
    });
    const loop = new EventLoopMeter();
    new Gauge({
      name: 'pitaya_sys_event_loop_utilization', help: 'share of time the event loop was busy since the previous scrape (0-1)', labelNames: labels(), registers,
      collect() {
        this.set(additional, loop.sample());
      },
    });
    new Gauge({
      name: 'pitaya_sys_heapsize', help: 'V8 heap in use, bytes', labelNames: labels(), registers,
      collect() {
        this.set(additional, process.memoryUsage().heapUsed);
      },
    });
    // Node's standard process metrics: event-loop delay, heap spaces, GC, CPU, handles.
    collectDefaultMetrics({ register: this.registry });
    this.connectedClients.set(this.additional, 0);
    this.rateLimiting.inc(this.additional, 0);
    this.slowConsumers.inc(this.additional, 0);
    this.droppedMessages.set(this.additional, 0);

    for (const spec of m.custom.counters) this.custom.set(spec.name, new Counter({ name: fullName(spec), help: spec.help, labelNames: labels(...spec.labels), registers }));
    for (const spec of m.custom.gauges) this.custom.set(spec.name, new Gauge({ name: fullName(spec), help: spec.help, labelNames: labels(...spec.labels), registers }));
    for (const spec of m.custom.summaries) {
      this.custom.set(spec.name, new Summary({
        name: fullName(spec), help: spec.help, labelNames: labels(...spec.labels), percentiles: Object.keys(spec.objectives).map(Number), registers,
      }));
    }
    for (const spec of m.custom.histograms) {
      this.custom.set(spec.name, new Histogram({ name: fullName(spec), help: spec.help, labelNames: labels(...spec.labels), buckets: [...spec.buckets], registers }));
    }
  }

  connectionOpened(): void {
    this.connectedClients.set(this.additional, ++this.connected);
  }

  connectionClosed(): void {
    this.connectedClients.set(this.additional, --this.connected);
  }

  malformedInput(reason: string): void {
    this.malformed.inc({ ...this.additional, reason });
  }

  rateLimited(): void {
    this.rateLimiting.inc(this.additional);
  }

  slowConsumer(): void {
    this.slowConsumers.inc(this.additional);
  }

  refused(reason: RefusalReason): void {
    this.refusals.inc({ ...this.additional, reason });
  }

  rpcTimeout(serverType: string): void {
    this.rpcTimeouts.inc({ ...this.additional, serverType });
  }

  workerJobsTotal(status: 'ok' | 'failed', total: number): void {
    this.workerJobs.set({ ...this.additional, status }, total);
  }

  workerJobsRetry(count: number): void {
    this.workerRetries.set(this.additional, count);
  }

  workerQueueSize(queue: string, size: number): void {
    this.workerQueue.set({ ...this.additional, queue }, size);
  }

  rpcDropped(): void {
    this.droppedMessages.inc(this.additional);
  }

  messageHandled(message: HandledMessage): void {
    const byRoute = this.observers[message.type];
    let byCode = byRoute.get(message.route);
    if (byCode === undefined) byRoute.set(message.route, (byCode = new Map()));
    const code = message.ok ? '' : message.code;
    let series = byCode.get(code);
    if (series === undefined) {
      series = this.responseTime.create({ ...this.additional, route: message.route, status: message.ok ? 'ok' : 'failed', type: message.type, code });
      byCode.set(code, series);
    }
    this.responseTime.observe(series, Math.round(message.durationMs * 1e6));
  }

  handlerDelay(route: string, type: 'local' | 'remote', delayMs: number): void {
    const byRoute = this.delayObservers[type];
    let series = byRoute.get(route);
    if (series === undefined) byRoute.set(route, (series = this.handlerDelays.create({ ...this.additional, route, type })));
    this.handlerDelays.observe(series, Math.round(delayMs * 1e6));
  }

  /** Stops the age rotation of the response-time and handler-delay windows. */
  close(): void {
    this.responseTime.stop();
    this.handlerDelays.stop();
  }

  reportCustom(kind: CustomMetricKind, name: string, labels: MetricLabels, value: number): void {
    const metric = this.custom.get(name);
    if (metric === undefined) return;
    const all = { ...this.additional, ...labels };
    if (kind === 'counter') (metric as Counter<string>).inc(all, value);
    else if (kind === 'gauge') (metric as Gauge<string>).set(all, value);
    else (metric as Summary<string> | Histogram<string>).observe(all, value);
  }

  /** The text exposition `/metrics` serves. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

function fullName(spec: { subsystem: string; name: string }): string {
  return spec.subsystem ? `pitaya_${spec.subsystem}_${spec.name}` : `pitaya_${spec.name}`;
}
