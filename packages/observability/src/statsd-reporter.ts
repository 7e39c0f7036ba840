// hot-shots: the maintained Node StatsD/DogStatsD client (tags in DataDog's `#k:v` form, as Pitaya's
// DataDog client writes them), no runtime dependencies, buffered UDP sends.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { StatsD } from 'hot-shots';
import type { HandledMessage, MetricsReporter, RefusalReason } from '@pitaya-ts/core';
import type { CustomMetricKind, CustomMetricsSink, MetricLabels } from './custom-metrics';
import type { MetricsConfig } from './observability-config';
import { countServersByType, EventLoopMeter, type DiscoveryLookup } from './server-stats';

/** Where to send, parsed from `pitaya.metrics.statsd.host` (`host:port`). */
export function parseStatsdAddress(value: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || match[1] === '' || port < 1 || port > 65535) throw new Error(`"${value}" is not host:port`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * Pitaya's StatsD reporter (spec §7.2): prefix `pitaya.` (`pitaya.metrics.statsd.prefix`), Pitaya's
 * bare metric names (`response_time_ns`, `connected_clients`, `count_servers`,
 * `exceeded_rate_limiting`, …), tags `serverType:<type>` + const labels + the call's labels. Summaries
 * are timings (`|ms`, the value in nanoseconds, as Pitaya sends it); histograms are DogStatsD
 * histograms (Pitaya v3 drops them). Datagrams are buffered and flushed every 100 ms, so a message
 * costs a string concatenation, not a system call.
 *
 * The per-message line (`response_time_ns`) is formatted here with its tags pre-joined per
 * route/code and handed to hot-shots in datagram-sized batches: hot-shots' per-call path (tag merging,
 * re-measuring its whole buffer) costs ~10 µs a call, a third of an echo.
 */
export class StatsdReporter implements MetricsReporter, CustomMetricsSink {
  private readonly client: StatsD;
  private readonly rate: number;
  private readonly additional: Record<string, string>;
  /** `:` + `|ms` suffix with every tag, per type → route → code. */
  private readonly lineCache = { handler: new Map<string, Map<string, string>>(), rpc: new Map<string, Map<string, string>>() };
  private readonly baseTags: string[];
  private readonly globalTags: string[];
  private readonly responseTimeName: string;
  private readonly handlerDelayName: string;
  /** `|ms` suffix with every tag of `handler_delay_ns`, per type → route. */
  private readonly delayLineCache = { local: new Map<string, string>(), remote: new Map<string, string>() };
  private batch = '';
  private readonly socket: Socket;
  private readonly host: string;
  private readonly port: number;
  private readonly flushTimer: NodeJS.Timeout;
  private connected = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    config: MetricsConfig,
    serverType: string,
    private readonly discovery: DiscoveryLookup,
    private readonly onError: (error: Error) => void,
  ) {
    const s = config.metrics.statsd;
    const { host, port } = parseStatsdAddress(s.host);
    this.rate = s.rate;
    this.additional = { ...config.metrics.additionalLabels };
    this.baseTags = tagList(this.additional);
    this.globalTags = tagList({ serverType, ...config.metrics.constLabels });
    this.responseTimeName = `${s.prefix}response_time_ns:`;
    this.handlerDelayName = `${s.prefix}handler_delay_ns:`;
    this.flushTimer = setInterval(() => this.flush(), 100);
    this.flushTimer.unref();
    this.host = host;
    this.port = port;
    // One socket for hot-shots and for the batches of response-time lines sent here.
    this.socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.socket.on('error', onError);
    this.socket.unref();
    this.client = new StatsD({
      host, port, prefix: s.prefix, sampleRate: s.rate, socket: this.socket,
      globalTags: { serverType, ...config.metrics.constLabels },
      maxBufferSize: 1400, bufferFlushInterval: 100,
      errorHandler: onError,
    });
    const loop = new EventLoopMeter();
    this.timer = setInterval(() => {
      for (const [type, count] of countServersByType(this.discovery)) this.client.gauge('count_servers', count, this.rate, [...this.baseTags, `type:${type}`]);
      this.client.gauge('heapsize', process.memoryUsage().heapUsed, this.rate, this.baseTags);
      this.client.gauge('event_loop_utilization', loop.sample(), this.rate, this.baseTags);
    }, config.metrics.period);
    this.timer.unref();
  }

  connectionOpened(): void {
    this.client.gauge('connected_clients', ++this.connected, this.rate, this.baseTags);
  }

  connectionClosed(): void {
    this.client.gauge('connected_clients', --this.connected, this.rate, this.baseTags);
  }

  malformedInput(reason: string): void {
    this.client.increment('malformed_packets', 1, this.rate, [...this.baseTags, `reason:${reason}`]);
  }

  rateLimited(): void {
    this.client.increment('exceeded_rate_limiting', 1, this.rate, this.baseTags);
  }

  slowConsumer(): void {
    this.client.increment('slow_consumers', 1, this.rate, this.baseTags);
  }

  refused(reason: RefusalReason): void {
    this.client.increment('refused', 1, this.rate, [...this.baseTags, `reason:${reason}`]);
  }

  rpcTimeout(serverType: string): void {
    this.client.increment('rpc_timeouts', 1, this.rate, [...this.baseTags, `peerServerType:${serverType}`]);
  }

  /** Pitaya's statsd names for the worker gauges: `worker_jobs_total`, `worker_jobs_retry_total`, `worker_queue_size`. */
  workerJobsTotal(status: 'ok' | 'failed', total: number): void {
    this.client.gauge('worker_jobs_total', total, this.rate, [...this.baseTags, `status:${status}`]);
  }

  workerJobsRetry(count: number): void {
    this.client.gauge('worker_jobs_retry_total', count, this.rate, this.baseTags);
  }

  workerQueueSize(queue: string, size: number): void {
    this.client.gauge('worker_queue_size', size, this.rate, [...this.baseTags, `queue:${queue}`]);
  }

  /** Go Pitaya's `dropped_messages` gauge: the running total of NATS RPCs dropped by this server. */
  rpcDropped(): void {
    this.client.gauge('dropped_messages', ++this.dropped, this.rate, this.baseTags);
  }

  messageHandled(message: HandledMessage): void {
    if (this.rate < 1 && Math.random() >= this.rate) return;
    const byRoute = this.lineCache[message.type];
    let byCode = byRoute.get(message.route);
    if (byCode === undefined) byRoute.set(message.route, (byCode = new Map()));
    const code = message.ok ? '' : message.code;
    let suffix = byCode.get(code);
    if (suffix === undefined) {
      const tags = [...this.globalTags, ...this.baseTags, `route:${message.route}`, `status:${message.ok ? 'ok' : 'failed'}`, `type:${message.type}`, `code:${code}`];
      suffix = `|ms${this.rate < 1 ? `|@${this.rate}` : ''}|#${tags.map(sanitizeTag).join(',')}`;
      byCode.set(code, suffix);
    }
    this.append(this.responseTimeName + Math.round(message.durationMs * 1e6) + suffix);
  }

  /** Pitaya's `handler_delay_ns` timing (value in ns, as Go sends it), tags `route` and `type`; batched like `response_time_ns`. */
  handlerDelay(route: string, type: 'local' | 'remote', delayMs: number): void {
    if (this.rate < 1 && Math.random() >= this.rate) return;
    const byRoute = this.delayLineCache[type];
    let suffix = byRoute.get(route);
    if (suffix === undefined) {
      const tags = [...this.globalTags, ...this.baseTags, `route:${route}`, `type:${type}`];
      suffix = `|ms${this.rate < 1 ? `|@${this.rate}` : ''}|#${tags.map(sanitizeTag).join(',')}`;
      byRoute.set(route, suffix);
    }
    this.append(this.handlerDelayName + Math.round(delayMs * 1e6) + suffix);
  }

  private append(line: string): void {
    if (this.batch.length + line.length >= BATCH_BYTES) this.flush();
    this.batch = this.batch === '' ? line : `${this.batch}\n${line}`;
  }

  private flush(): void {
    if (this.batch === '') return;
    const batch = this.batch;
    this.batch = '';
    this.socket.send(batch, this.port, this.host, (error) => {
      if (error) this.onError(error);
    });
  }

  reportCustom(kind: CustomMetricKind, name: string, labels: MetricLabels, value: number): void {
    const tags = tagList({ ...this.additional, ...labels });
    if (kind === 'counter') this.client.increment(name, value, this.rate, tags);
    else if (kind === 'gauge') this.client.gauge(name, value, this.rate, tags);
    else if (kind === 'summary') this.client.timing(name, value, this.rate, tags);
    else this.client.histogram(name, value, this.rate, tags);
  }

  /** Flushes what is buffered and closes the socket. */
  close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.flushTimer);
    this.flush();
    return new Promise((resolve) => this.client.close(() => {
      try {
        this.socket.close();
      } catch {
        // hot-shots may have closed the socket it was given already
      }
      resolve();
    }));
  }
}

/** Bytes of one batch of lines (one UDP datagram, below common MTUs). */
const BATCH_BYTES = 1200;

/** DogStatsD tags cannot hold `|`, `,` or newlines (hot-shots replaces them the same way). */
function sanitizeTag(tag: string): string {
  return tag.replace(/[|,\n\r]/g, '_');
}

function tagList(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}:${v}`);
}
