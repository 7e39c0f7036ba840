/** Labels of a handled message (Pitaya's `response_time_ns` labels). */
export interface HandledMessage {
  readonly route: string;
  /** `handler` for client messages, `rpc` for remote calls. */
  readonly type: 'handler' | 'rpc';
  readonly ok: boolean;
  /** Error code when `ok` is false. */
  readonly code: string;
  readonly durationMs: number;
}

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
}

/** The default {@link MetricsReporter}: measures nothing. */
export class NoopMetricsReporter implements MetricsReporter {
  connectionOpened(): void {}
  connectionClosed(): void {}
  malformedInput(): void {}
  rateLimited(): void {}
  slowConsumer(): void {}
  messageHandled(): void {}
}
