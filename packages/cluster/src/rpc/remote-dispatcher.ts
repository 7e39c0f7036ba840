import { injectable } from 'inversify';
import {
  badRequest, Context, ErrorCode, Inject, invokeRoute, LOGGER, METRICS_REPORTER, notFound, parseRoute, PitayaError, RouteTable,
  type Logger, type MetricsReporter,
} from '@pitaya-ts/core';
import { MsgType, RPCType, type PitayaRequest, type PitayaResponse, type ProtoInit } from '../protos/proto-types';
import { BackendSession, BackendSessionServices } from '../session/backend-session';
import { toProtoError } from './rpc-errors';
import { decodeRequestMetadata } from './rpc-metadata';

const ACK = Buffer.from('ack');
const NO_DATA = Buffer.alloc(0);

/**
 * Serves `Pitaya.Call`: a Sys RPC runs the handler of a forwarded client message with a backend
 * session (same pipelines and serializer as a local message); a User RPC runs a `@Remote` method.
 * Every failure is answered inside the `protos.Response` with its code, as Go Pitaya does.
 */
@injectable('Singleton')
export class RemoteDispatcher {
  constructor(
    private readonly routes: RouteTable,
    private readonly sessions: BackendSessionServices,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async call(request: PitayaRequest): Promise<ProtoInit<PitayaResponse>> {
    const startedAt = performance.now();
    const route = request.msg?.route ?? '';
    try {
      const data = request.type === RPCType.Sys ? await this.sys(request) : await this.user(request);
      this.report(route, startedAt);
      return { data };
    } catch (error) {
      if (!(error instanceof PitayaError)) this.log.error({ err: error, route }, 'remote call failed');
      this.report(route, startedAt, error);
      return { error: toProtoError(error) };
    }
  }

  private async sys(request: PitayaRequest): Promise<Uint8Array> {
    const msg = request.msg;
    if (!msg) throw badRequest('invalid rpc: the request has no message');
    const entry = this.routes.handler(msg.route);
    if (!entry) throw notFound(`pitaya/handler: ${msg.route} not found`);
    const notify = msg.type === MsgType.MsgNotify;
    if (!notify && entry.notify) throw badRequest('tried to request a notify route');
    const s = request.session;
    const session = new BackendSession(s?.id ?? 0, s?.uid ?? '', s?.data ?? NO_DATA, request.frontendID, this.sessions);
    const ctx = new Context(session, entry.route, msg.id, notify, decodeRequestMetadata(request.metadata));
    const reply = await invokeRoute(entry, ctx, msg.data);
    return notify ? ACK : (reply ?? NO_DATA);
  }

  private async user(request: PitayaRequest): Promise<Uint8Array> {
    const msg = request.msg;
    if (!msg) throw badRequest('invalid rpc: the request has no message');
    const parts = parseRoute(msg.route);
    const short = `${parts.service}.${parts.method}`;
    const entry = this.routes.remote(short);
    if (!entry) throw new PitayaError(ErrorCode.NotFound, 'route not found', { route: short });
    // A user RPC carries no client session; its frontend (if the caller is one) is known, though.
    const session = new BackendSession(0, '', NO_DATA, '', this.sessions);
    const ctx = new Context(session, entry.route, 0, false, decodeRequestMetadata(request.metadata));
    return (await invokeRoute(entry, ctx, msg.data)) ?? NO_DATA;
  }

  private report(route: string, startedAt: number, error?: unknown): void {
    this.metrics.messageHandled({
      route,
      type: 'rpc',
      ok: error === undefined,
      code: error === undefined ? '' : error instanceof PitayaError ? error.code : ErrorCode.Unknown,
      durationMs: performance.now() - startedAt,
    });
  }
}
