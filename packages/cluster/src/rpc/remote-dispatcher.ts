import { injectable } from 'inversify';
import { badRequest, ErrorCode, Inject, LOGGER, METRICS_REPORTER, notFound, PitayaError, RouteTable, SERVER_INFO, TRACER, type Logger, type MetricsReporter, type RouteEntry, type ServerIdentity, type Tracer, type TraceSpan } from '@pitaya-ts/core';
import { contextWithLazyPropagated, invokeRoute, measuresMessages, parseRoute, UNKNOWN_ROUTE } from '@pitaya-ts/core/internal';
import { MsgType, RPCType, type PitayaRequest, type PitayaResponse, type ProtoInit } from '../protos/proto-types';
import { BackendSession, BackendSessionServices } from '../session/backend-session';
import { toProtoError } from './rpc-errors';
import { decodeRequestMetadata, MetadataKey, OTEL_SPAN_KEY } from './rpc-metadata';

const ACK = Buffer.from('ack');
const NO_DATA = Buffer.alloc(0);

/**
 * Serves `Pitaya.Call`: a Sys RPC runs the handler of a forwarded client message with a backend
 * session (same pipelines and serializer as a local message); a User RPC runs a `@Remote` method.
 * Every failure is answered inside the `protos.Response` with its code, as Go Pitaya does.
 */
@injectable('Singleton')
export class RemoteDispatcher {
  /** A reporter wants `handler_delay_ns` (checked once: otherwise nothing is timed). */
  private readonly timesDelay: boolean;
  /** A reporter records handled messages: without one, no clock read and no record per call. */
  private readonly measures: boolean;

  constructor(
    private readonly routes: RouteTable,
    private readonly sessions: BackendSessionServices,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(TRACER) private readonly tracer: Tracer,
  ) {
    this.timesDelay = typeof metrics.handlerDelay === 'function';
    this.measures = measuresMessages(metrics);
  }

  /**
   * Runs one RPC. `arrivedAt` (`performance.now()`) is when the RPC server received it, if it
   * waited in a queue before coming here (NATS); -1 means it came straight in (gRPC).
   */
  async call(request: PitayaRequest, arrivedAt = -1): Promise<ProtoInit<PitayaResponse>> {
    const startedAt = this.measures ? performance.now() : 0;
    const route = request.msg?.route ?? '';
    // Decoded here only for a span; otherwise on the context's first read of a propagated value.
    const metadata = this.tracer.enabled ? decodeRequestMetadata(request.metadata) : undefined;
    // Only routes of this server's table name metrics and spans: the caller chose the string.
    const entry = this.entryOf(request);
    // A forwarded client message: Pitaya's handler delay, `remote` (it came from another server).
    if (this.timesDelay && request.type === RPCType.Sys) {
      this.metrics.handlerDelay!(entry?.route ?? UNKNOWN_ROUTE, 'remote', arrivedAt < 0 ? 0 : startedAt - arrivedAt);
    }
    const span = metadata !== undefined ? this.startSpan(entry?.route ?? UNKNOWN_ROUTE, metadata, request) : undefined;
    const propagated = metadata !== undefined ? () => metadata : () => decodeRequestMetadata(request.metadata);
    try {
      const work = (): Promise<Uint8Array> => (request.type === RPCType.Sys ? this.sys(request, entry, propagated) : this.user(request, entry, propagated));
      const data = await (span === undefined ? work() : span.run(work));
      span?.end();
      this.report(entry, startedAt);
      return { data };
    } catch (error) {
      span?.end(error);
      if (!(error instanceof PitayaError)) this.log.error({ err: error, route, session: request.session?.id, uid: request.session?.uid, trace_id: span?.traceId }, 'remote call failed');
      this.report(entry, startedAt, error);
      return { error: toProtoError(error) };
    }
  }

  private entryOf(request: PitayaRequest): RouteEntry | undefined {
    const route = request.msg?.route;
    if (route === undefined) return undefined;
    if (request.type === RPCType.Sys) return this.routes.handler(route);
    try {
      const parts = parseRoute(route);
      return this.routes.remote(`${parts.service}.${parts.method}`);
    } catch {
      return undefined; // answered by user() with parseRoute's PIT-400
    }
  }

  /** Pitaya's RPC server span: named after the route, parent taken from the `otel-span` carrier. */
  private startSpan(name: string, metadata: Record<string, unknown>, request: PitayaRequest): TraceSpan {
    const s = request.session;
    return this.tracer.startSpan(name, 'server', {
      'local.id': this.self.id,
      'span.kind': 'server',
      'peer.id': String(metadata[MetadataKey.PeerId] ?? ''),
      'peer.service': String(metadata[MetadataKey.PeerService] ?? ''),
      'request.id': String(metadata[MetadataKey.RequestId] ?? ''),
    }, metadata[OTEL_SPAN_KEY], { route: request.msg?.route ?? name, session: s?.id, uid: s?.uid || undefined });
  }

  private async sys(request: PitayaRequest, entry: RouteEntry | undefined, metadata: () => Record<string, unknown>): Promise<Uint8Array> {
    const msg = request.msg;
    if (!msg) throw badRequest('invalid rpc: the request has no message');
    if (!entry) throw notFound(`pitaya/handler: ${msg.route} not found`);
    const notify = msg.type === MsgType.MsgNotify;
    if (!notify && entry.notify) throw badRequest('tried to request a notify route');
    const s = request.session;
    const session = new BackendSession(s?.id ?? 0, s?.uid ?? '', s?.data ?? NO_DATA, request.frontendID, this.sessions);
    const ctx = contextWithLazyPropagated(session, entry.route, msg.id, notify, metadata);
    const reply = await invokeRoute(entry, ctx, msg.data);
    return notify ? ACK : (reply ?? NO_DATA);
  }

  private async user(request: PitayaRequest, entry: RouteEntry | undefined, metadata: () => Record<string, unknown>): Promise<Uint8Array> {
    const msg = request.msg;
    if (!msg) throw badRequest('invalid rpc: the request has no message');
    if (!entry) {
      const parts = parseRoute(msg.route);
      throw new PitayaError(ErrorCode.NotFound, 'route not found', { route: `${parts.service}.${parts.method}` });
    }
    // A user RPC carries no client session; its frontend (if the caller is one) is known, though.
    const session = new BackendSession(0, '', NO_DATA, '', this.sessions);
    const ctx = contextWithLazyPropagated(session, entry.route, 0, false, metadata);
    return (await invokeRoute(entry, ctx, msg.data)) ?? NO_DATA;
  }

  private report(entry: RouteEntry | undefined, startedAt: number, error?: unknown): void {
    if (!this.measures) return;
    this.metrics.messageHandled({
      route: entry?.route ?? UNKNOWN_ROUTE,
      type: 'rpc',
      ok: error === undefined,
      code: error === undefined ? '' : error instanceof PitayaError ? error.code : ErrorCode.Unknown,
      durationMs: performance.now() - startedAt,
    });
  }
}
