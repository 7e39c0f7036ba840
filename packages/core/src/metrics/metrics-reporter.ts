/** Labels of a handled message (Pitaya's `response_time_ns` labels). */
export interface HandledMessage {
  /**
   * The route as known to the route table, or `unknown` when the client sent a route that does not
   * exist: a client must never be able to create a metric series by sending a new string.
   */
  readonly route: string;
  /** `handler` for client messages, `rpc` for remote calls. */
  readonly type: 'handler' | 'rpc';
  readonly ok: boolean;
  /** Error code when `ok` is false. */
  readonly code: string;
  readonly durationMs: number;
}

/**
 * Why the framework refused or cut off a peer. A closed set, so the label cannot grow:
 * `handshake` (invalid or refused handshake), `handshake-timeout` (never completed it),
 * `connection-limit` / `ip-limit` (over a configured cap), `rate-limit-kick` (too many rate-limit
 * violations), `partial-packet-budget` (its partial packet did not fit the process-wide budget),
 * `validation` (a body failed its declared schema).
 */
export type RefusalReason =
  | 'handshake'
  | 'handshake-timeout'
  | 'connection-limit'
  | 'ip-limit'
  | 'rate-limit-kick'
  | 'partial-packet-budget'
  | 'validation';

/**
 * Receives the framework's measurements. The default reports nothing; a Prometheus implementation
 * plugs in through the {@link METRICS_REPORTER} token. Calls are on hot paths: keep them cheap.
 */
export interface MetricsReporter {
  connectionOpened(transport: string): void;
  connectionClosed(transport: string): void;
  /** A client sent bytes that are not valid protocol; its connection was closed. */
  malformedInput(reason: string): void;
  /** A packet was dropped by the rate limiter. */
  rateLimited(): void;
  /** A client was disconnected because it could not keep up with what it was sent. */
  slowConsumer(): void;
  messageHandled(message: HandledMessage): void;
  /**
   * Pitaya's `handler_delay_ns`: how long a message waited between its arrival (handed to its
   * session's queue, or on a backend to the RPC server) and the start of its handling. `route` is
   * named as in {@link HandledMessage.route} (never a raw client string); `type` is `local` for a
   * route of this server, `remote` for one forwarded to (or, on a backend, forwarded from) another
   * server. Optional: callers check for it once and, when no reporter implements it, read no clock
   * and store nothing per message. Plain arguments, so a call allocates nothing.
   */
  handlerDelay?(route: string, type: 'local' | 'remote', delayMs: number): void;
  /** A connection, handshake or body was refused for a protective reason (see {@link RefusalReason}). */
  refused(reason: RefusalReason): void;
  /** An outgoing RPC to another server got no answer in time (answered PIT-408). */
  rpcTimeout(serverType: string): void;
  /**
   * An incoming RPC was dropped because this server's RPC queue was full (Pitaya's NATS
   * `dropped_messages`: a slow consumer). Optional so existing reporters keep compiling.
   */
  rpcDropped?(): void;
  /**
   * Reliable-RPC jobs finished by every worker sharing the Redis namespace, `ok` or `failed`
   * (each failed attempt counts), read from go-workers' `stat:processed` / `stat:failed` counters
   * every `metrics.period`. Pitaya's gauge `pitaya_worker_worker_jobs_total{status}` (a gauge because
   * the value is a total kept in Redis, not counted by this process).
   */
  workerJobsTotal(status: 'ok' | 'failed', total: number): void;
  /** Jobs waiting in the retry set: Pitaya's gauge `pitaya_worker_worker_jobs_retry_total`. */
  workerJobsRetry(count: number): void;
  /** Jobs waiting in a worker queue (`rpc`): Pitaya's gauge `pitaya_worker_worker_queue_size{queue}`. */
  workerQueueSize(queue: string, size: number): void;
}

/** The default {@link MetricsReporter}: measures nothing. */
export class NoopMetricsReporter implements MetricsReporter {
  connectionOpened(): void {}
  connectionClosed(): void {}
  malformedInput(): void {}
  rateLimited(): void {}
  slowConsumer(): void {}
  messageHandled(): void {}
  refused(): void {}
  rpcTimeout(): void {}
  workerJobsTotal(): void {}
  workerJobsRetry(): void {}
  workerQueueSize(): void {}
}
