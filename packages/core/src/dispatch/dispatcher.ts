import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { MessageType, type Message } from '@pitaya-ts/protocol';
import { MessageEncoder } from '../agent/message-encoder';
import type { PitayaConfig } from '../config/pitaya-config';
import { Context } from '../context/context';
import { FORWARDER, METRICS_REPORTER, PITAYA_CONFIG, SERVER_INFO } from '../container/tokens';
import { TRACER, type Tracer, type TraceSpan } from '../metrics/tracer';
import { badRequest, ErrorCode, notFound, PitayaError } from '../errors/pitaya-error';
import { LOGGER, type Logger } from '../logger';
import { measuresMessages } from '../metrics/measures-messages';
import type { MetricsReporter } from '../metrics/metrics-reporter';
import type { ServerIdentity } from '../server-identity';
import type { Forwarder } from './forwarder';
import { parseRoute } from './route';
import { invokeRoute, isPromiseLike, type RouteReply } from './route-invoker';
import { RouteTable, type RouteEntry } from './route-table';
import type { DispatchTarget } from './session-inbox';

/**
 * Routes each client message to its handler (or, for another server type, to the forwarder) and
 * answers it. Messages of one session are handled strictly one after another, in arrival order
 * (Pitaya gives no such guarantee: spec §11); different sessions interleave freely. A session whose
 * queue fills up stops being read until it drains, so memory per client stays bounded.
 */
@injectable('Singleton')
export class Dispatcher {
  private readonly queueLimit: number;
  private readonly queueByteLimit: number;
  private inFlight = 0;
  /** Sessions with a message in progress or queued. */
  private busySessions = 0;
  private idleWaiters: (() => void)[] = [];
  /** Forwarded routes a backend has answered successfully: only these are named in metrics (bounded). */
  private readonly confirmedRemoteRoutes = new Set<string>();
  /** A real reporter listens: only then are messages timed and described (no clock, no object otherwise). */
  private readonly measures: boolean;
  /** A reporter wants `handler_delay_ns`: only then is a queued message's arrival timed. */
  private readonly timesDelay: boolean;
  /** `<own type>.`: a route with this prefix (or none) is local, in the delay's `type` label. */
  private readonly localPrefix: string;

  constructor(
    private readonly routes: RouteTable,
    private readonly encoder: MessageEncoder,
    @Inject(FORWARDER) private readonly forwarder: Forwarder,
    @Inject(SERVER_INFO) private readonly server: ServerIdentity,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
    @Inject(TRACER) private readonly tracer: Tracer,
  ) {
    this.queueLimit = config.buffer.handler.sessionQueue;
    this.queueByteLimit = config.buffer.handler.sessionQueueBytes;
    this.timesDelay = typeof metrics.handlerDelay === 'function';
    // A handler-delay reporter needs the start time too, even one built on the no-op's prototype.
    this.measures = measuresMessages(metrics);
    this.localPrefix = `${server.type}.`;
  }

  /** Messages being handled right now, across sessions. */
  get pending(): number {
    return this.inFlight;
  }

  /** Resolves when no message is being handled or waiting in a session's queue. */
  idle(): Promise<void> {
    if (this.busySessions === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Called by the agent for every decoded Request or Notify, in arrival order. Never throws. */
  dispatch(agent: DispatchTarget, message: Message): void {
    if (agent.inbox.busy) {
      agent.inbox.enqueue(message, this.queueLimit, this.queueByteLimit, this.timesDelay ? performance.now() : -1);
      return;
    }
    this.run(agent, message, -1);
  }

  /** `arrivedAt`: when `first` was queued, or -1 when it was not (it starts the moment it arrives). */
  private run(agent: DispatchTarget, first: Message, arrivedAt: number): void {
    if (agent.inbox.begin()) this.busySessions++;
    let message: Message | undefined = first;
    let queuedAt = arrivedAt;
    while (message !== undefined) {
      const pending = this.handle(agent, message, queuedAt);
      if (pending !== undefined) {
        pending.then(() => this.continueWith(agent));
        return;
      }
      message = this.nextOf(agent);
      queuedAt = agent.inbox.arrivedAt;
    }
  }

  private continueWith(agent: DispatchTarget): void {
    const next = this.nextOf(agent);
    if (next !== undefined) this.run(agent, next, agent.inbox.arrivedAt);
  }

  private nextOf(agent: DispatchTarget): Message | undefined {
    const next = agent.inbox.next(agent.closed);
    if (next === undefined && --this.busySessions === 0 && this.idleWaiters.length > 0) this.wakeIdle();
    return next;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Handles one message; returns a promise only when the work is asynchronous. The promise never rejects. */
  private handle(agent: DispatchTarget, message: Message, arrivedAt: number): Promise<void> | undefined {
    const startedAt = this.measures ? performance.now() : 0;
    // Reported once the route's metric name is settled (see `finish`); a message not queued waited 0.
    const delayMs = arrivedAt < 0 ? 0 : startedAt - arrivedAt;
    this.inFlight++;
    agent.inbox.handling(message);
    let entry: RouteEntry | undefined;
    let result: RouteReply | Promise<RouteReply>;
    let span: TraceSpan | undefined;
    try {
      entry = this.routes.handler(message.route);
      if (this.tracer.enabled) span = this.startSpan(agent, message, entry);
      result = span === undefined ? this.invoke(agent, message, entry) : span.run(() => this.invoke(agent, message, entry));
    } catch (error) {
      this.finish(agent, message, entry, startedAt, delayMs, undefined, error, span);
      return undefined;
    }
    if (isPromiseLike<RouteReply>(result)) {
      return result.then(
        (reply) => this.finish(agent, message, entry, startedAt, delayMs, reply, undefined, span),
        (error: unknown) => this.finish(agent, message, entry, startedAt, delayMs, undefined, error ?? new Error('rejected without a reason'), span),
      );
    }
    this.finish(agent, message, entry, startedAt, delayMs, result, undefined, span);
    return undefined;
  }

  private invoke(agent: DispatchTarget, message: Message, entry: RouteEntry | undefined): RouteReply | Promise<RouteReply> {
    const payload = message.compressed ? this.encoder.inflate(message.data) : message.data;
    if (entry === undefined) return this.forwardOrFail(agent, message, payload);
    if (message.type === MessageType.Request && entry.notify) throw badRequest('tried to request a notify route');
    const isNotify = message.type === MessageType.Notify;
    if (isNotify && !entry.notify) {
      this.log.debug({ route: entry.route }, 'notify sent to a request route: the reply is discarded');
    }
    const ctx = new Context(agent.session, entry.route, message.id, isNotify);
    return invokeRoute(entry, ctx, payload);
  }

  /** Pitaya's span of a client message (`local.id`, `span.kind`, `msg.type`, `user.id`); only when tracing is on. */
  private startSpan(agent: DispatchTarget, message: Message, entry: RouteEntry | undefined): TraceSpan {
    const name = entry?.route ?? (this.confirmedRemoteRoutes.has(message.route) ? message.route : UNKNOWN_ROUTE);
    const session = agent.session;
    return this.tracer.startSpan(name, 'server', {
      'local.id': this.server.id,
      'span.kind': 'server',
      'msg.type': message.type === MessageType.Notify ? 'notify' : 'request',
      'user.id': session.uid ?? '',
    }, undefined, { route: entry?.route ?? message.route, session: session.id, uid: session.uid });
  }

  /**
   * The route as metrics name it. Clients choose route strings, so a route is named only when the
   * route table knows it, or a backend answered it (forwarded routes, at most {@link MAX_REMOTE_ROUTES});
   * anything else is `unknown`, and a client cannot create series.
   */
  private metricRoute(entry: RouteEntry | undefined, message: Message, failure: unknown): string {
    if (entry !== undefined) return entry.route;
    const route = message.route;
    if (this.confirmedRemoteRoutes.has(route)) return route;
    if (failure === undefined && this.confirmedRemoteRoutes.size < MAX_REMOTE_ROUTES) {
      this.confirmedRemoteRoutes.add(route);
      return route;
    }
    return UNKNOWN_ROUTE;
  }

  /** Pitaya's `local` (this server type's route, even one it lacks) vs `remote` (another type's). */
  private isLocalRoute(route: string): boolean {
    const dot = route.indexOf('.');
    return dot === route.lastIndexOf('.') || route.startsWith(this.localPrefix);
  }

  private forwardOrFail(agent: DispatchTarget, message: Message, payload: Uint8Array): Promise<RouteReply> {
    const route = parseRoute(message.route);
    if (route.serverType === '' || route.serverType === this.server.type) {
      const full = route.serverType === '' ? `${this.server.type}.${message.route}` : message.route;
      throw notFound(`pitaya/handler: ${full} not found`);
    }
    agent.session.requestsInFlight++;
    return this.forwarder.forward(agent.session, message, route, payload).finally(() => {
      agent.session.requestsInFlight--;
    });
  }

  private finish(
    agent: DispatchTarget, message: Message, entry: RouteEntry | undefined, startedAt: number, delayMs: number, reply: RouteReply, error: unknown, span: TraceSpan | undefined,
  ): void {
    const route = entry?.route ?? message.route;
    if (agent.inbox.current === message) agent.inbox.handling(undefined);
    let failure = error;
    try {
      failure = this.answer(agent, message, route, reply, error, span);
    } catch (unexpected) {
      // Reached only by a bug or a reply the wire cannot carry; never let it escape into the socket loop.
      failure = unexpected;
      this.log.error({ err: unexpected, route, session: agent.session.id, uid: agent.session.uid, trace_id: span?.traceId }, 'could not answer a message');
    }
    const label = this.metricRoute(entry, message, failure);
    span?.end(failure, label);
    if (this.timesDelay) this.metrics.handlerDelay!(label, entry !== undefined || this.isLocalRoute(message.route) ? 'local' : 'remote', delayMs);
    if (this.measures) this.metrics.messageHandled({
      route: label,
      type: 'handler',
      ok: failure === undefined,
      code: failure === undefined ? '' : failure instanceof PitayaError ? failure.code : ErrorCode.Unknown,
      durationMs: performance.now() - startedAt,
    });
    this.inFlight--;
  }

  /** Sends the reply or the error; returns the error that was answered, if any. */
  private answer(agent: DispatchTarget, message: Message, route: string, reply: RouteReply, error: unknown, span: TraceSpan | undefined): unknown {
    const isRequest = message.type === MessageType.Request;
    if (error === undefined) {
      if (!isRequest) return undefined;
      try {
        agent.send(this.encoder.response(message.id, reply ?? EMPTY));
        return undefined;
      } catch (encodeError) {
        error = encodeError;
      }
    }
    const session = agent.session;
    if (!(error instanceof PitayaError)) this.log.error({ err: error, route, session: session.id, uid: session.uid, trace_id: span?.traceId }, 'handler failed');
    if (isRequest) agent.send(this.encoder.errorResponse(message.id, error));
    else this.log.warn({ route, err: error, session: session.id, uid: session.uid, trace_id: span?.traceId }, 'notify failed');
    return error;
  }
}

const EMPTY = new Uint8Array(0);
/** Metric label and span name of a route the server cannot vouch for (see `metricRoute`). */
export const UNKNOWN_ROUTE = 'unknown';
/** Forwarded routes named in metrics, at most: a cluster's real routes fit; a flood of invented ones cannot grow it. */
const MAX_REMOTE_ROUTES = 10_000;
