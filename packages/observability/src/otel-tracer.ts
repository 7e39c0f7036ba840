import {
  context, createContextKey, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context as OtelContext, type Span,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import type { Logger, SpanAttributes, SpanLogFields, Tracer, TraceSpan } from '@pitaya-ts/core';

/** Options of {@link initializeOtel}; everything else comes from the standard `OTEL_*` variables. */
export interface OtelOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` is not set (the server type, by default). */
  readonly serviceName?: string;
  /**
   * Span processors to use instead of the OTLP exporter the `OTEL_*` variables configure: an
   * in-process exporter (tests, a custom backend). Only the first SDK of a process applies them.
   */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/** A started OpenTelemetry SDK. */
export interface OtelHandle {
  /** False when `OTEL_SDK_DISABLED=true`: nothing is recorded and the tracer reports itself disabled. */
  readonly enabled: boolean;
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

let current: { handle: OtelHandle; users: number } | undefined;

/**
 * Go Pitaya's `tracing.InitializeOtel()`: starts the OpenTelemetry Node SDK configured purely by the
 * standard `OTEL_*` variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*`,
 * `OTEL_SDK_DISABLED`): OTLP exporter, batching span processor, W3C TraceContext + Baggage
 * propagators. The SDK is process-wide, so a second call shares the first SDK (it is shut down when
 * the last user shuts down). No auto-instrumentation is loaded: spans are the framework's own.
 */
export function initializeOtel(options: OtelOptions = {}): OtelHandle {
  if (current) {
    current.users++;
    return releasingHandle(current.handle);
  }
  if (/^true$/i.test(process.env.OTEL_SDK_DISABLED ?? '')) {
    return { enabled: false, shutdown: () => Promise.resolve() };
  }
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ? undefined : options.serviceName,
    ...(options.spanProcessors ? { spanProcessors: [...options.spanProcessors] } : {}),
    instrumentations: [],
    // Only traces: Pitaya exports neither OTel metrics nor logs (Prometheus/StatsD and pino do that).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const handle: OtelHandle = { enabled: true, shutdown: () => sdk.shutdown() };
  current = { handle, users: 1 };
  return releasingHandle(handle);
}

function releasingHandle(handle: OtelHandle): OtelHandle {
  let released = false;
  return {
    enabled: handle.enabled,
    shutdown: async () => {
      if (released || !current) return;
      released = true;
      if (--current.users === 0) {
        current = undefined;
        await handle.shutdown();
      }
    },
  };
}

const CARRIER_KEYS = ['traceparent', 'tracestate', 'baggage'] as const;

/** Where a span's {@link SpanLogFields} live in its OpenTelemetry context, for the log mixin. */
const LOG_FIELDS = createContextKey('pitaya-ts log fields');

type PinoMixin = (mergeObject: object, level: number, logger: Logger) => object;
type MixinHolder = { [key: symbol]: PinoMixin | undefined };
/** Loggers the mixin is installed on: the mixin they had before and how many tracing users share it. */
const correlated = new WeakMap<Logger, { previous: PinoMixin | undefined; users: number }>();

/**
 * The fields a log line gets from the active OpenTelemetry context: `trace_id`, `span_id` and
 * `trace_flags` of the active span (OpenTelemetry's log-correlation names) and the route, session
 * and uid of the message it belongs to. Empty outside any span.
 */
function traceLogFields(): Record<string, unknown> {
  const active = context.active();
  const span = trace.getSpan(active);
  if (span === undefined) return {};
  const ids = span.spanContext();
  if (!isSpanContextValid(ids)) return {};
  const fields = active.getValue(LOG_FIELDS) as SpanLogFields | undefined;
  const out: Record<string, unknown> = fields === undefined ? {} : { route: fields.route, session: fields.session, uid: fields.uid };
  out.trace_id = ids.traceId;
  out.span_id = ids.spanId;
  out.trace_flags = `0${ids.traceFlags.toString(16)}`.slice(-2);
  return out;
}

/**
 * Makes every line of `logger` (and of its children, before or after) written inside a span carry
 * the span's ids and its message's route, session and uid: a pino `mixin`, installed on the logger
 * after the fact because applications may bring their own logger. An existing mixin keeps working
 * (its fields come first); fields a call passes explicitly win over both. Installed only while
 * tracing runs: without it pino calls nothing. Returns the uninstaller.
 */
export function correlateLogs(logger: Logger): () => void {
  const holder = logger as unknown as MixinHolder;
  const key = pino.symbols.mixinSym;
  let state = correlated.get(logger);
  if (state === undefined) {
    const previous = holder[key];
    state = { previous, users: 0 };
    correlated.set(logger, state);
    holder[key] = previous === undefined
      ? traceLogFields
      : (mergeObject: object, level: number, self: Logger) => Object.assign(previous(mergeObject, level, self), traceLogFields());
  }
  state.users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--state.users === 0) {
      holder[key] = state.previous;
      correlated.delete(logger);
    }
  };
}

/**
 * The incoming `otel-span` value as a propagation carrier. It arrives from another server's JSON
 * metadata, so only the W3C keys with string values (and sane lengths) are kept.
 */
function carrierOf(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const source = value as Record<string, unknown>;
  let out: Record<string, string> | undefined;
  for (const key of CARRIER_KEYS) {
    const v = source[key];
    if (typeof v === 'string' && v.length <= 8192) (out ??= {})[key] = v;
  }
  return out;
}

class OtelSpan implements TraceSpan {
  constructor(private readonly span: Span, private readonly ctx: OtelContext) {}

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  run<T>(fn: () => T): T {
    return context.with(this.ctx, fn);
  }

  carrier(): Record<string, string> {
    const carrier: Record<string, string> = {};
    propagation.inject(this.ctx, carrier);
    return carrier;
  }

  end(error?: unknown, name?: string): void {
    if (name !== undefined) this.span.updateName(name);
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      this.span.recordException(error instanceof Error ? error : { message });
      this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    this.span.end();
  }
}

/** The framework's {@link Tracer} on the OpenTelemetry API (tracer name `pitaya`, as Go's). */
export class OtelTracer implements Tracer {
  private readonly tracer = trace.getTracer('pitaya');

  constructor(readonly enabled: boolean) {}

  startSpan(name: string, kind: 'server' | 'client', attributes: SpanAttributes, parent?: unknown, log?: SpanLogFields): TraceSpan {
    const carrier = parent === undefined ? undefined : carrierOf(parent);
    const parentCtx = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : context.active();
    const span = this.tracer.startSpan(name, { kind: kind === 'server' ? SpanKind.SERVER : SpanKind.CLIENT, attributes }, parentCtx);
    const ctx = trace.setSpan(parentCtx, span);
    return new OtelSpan(span, log === undefined ? ctx : ctx.setValue(LOG_FIELDS, log));
  }
}
