/** Attribute values a span accepts. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/**
 * What a log line written while a span is active says about the message being handled: its route,
 * session id and uid (absent ones are left out).
 */
export interface SpanLogFields {
  readonly route: string;
  readonly session?: number;
  readonly uid?: string;
}

/** One span, started by a {@link Tracer}. */
export interface TraceSpan {
  /** Trace id (32 hex digits), for log lines; empty when not recorded. */
  readonly traceId: string;
  /** Runs `fn` with this span as the active one, so spans (and RPCs) started inside become its children. */
  run<T>(fn: () => T): T;
  /**
   * This span as a W3C TraceContext carrier (`{ traceparent, tracestate? }`): the value of the
   * `otel-span` key of cluster RPC metadata, exactly as Go Pitaya writes and reads it.
   */
  carrier(): Record<string, string>;
  /**
   * Ends the span; an error marks it failed and is recorded on it. `name` renames it first (a
   * forwarded route is named only once a backend has vouched for it).
   */
  end(error?: unknown, name?: string): void;
}

/**
 * Where the framework starts its spans (client messages, forwarded requests, user RPCs). The
 * default does nothing and says so through `enabled`, so every call site skips tracing work
 * entirely when it is off; `@pitaya-ts/observability` binds an OpenTelemetry implementation to
 * {@link TRACER}.
 */
export interface Tracer {
  /** False when spans are not recorded: callers must then not call `startSpan` at all. */
  readonly enabled: boolean;
  /**
   * Starts a span. Its parent is the span in `parent` (a W3C carrier as found in the `otel-span`
   * RPC metadata) when given and valid, else the active span. `log`: fields that log lines written
   * while the span is active carry (with its trace and span ids), when the tracer correlates logs.
   */
  startSpan(name: string, kind: 'server' | 'client', attributes: SpanAttributes, parent?: unknown, log?: SpanLogFields): TraceSpan;
}

const NOOP_SPAN: TraceSpan = {
  traceId: '',
  run: (fn) => fn(),
  carrier: () => ({}),
  end: () => undefined,
};

/** The default {@link Tracer}: records nothing. */
export class NoopTracer implements Tracer {
  readonly enabled = false;
  startSpan(): TraceSpan {
    return NOOP_SPAN;
  }
}

/** Container token of the {@link Tracer}. */
export const TRACER = Symbol.for('pitaya-ts:Tracer');
