import { injectable } from 'inversify';
import type { Msg } from 'nats';
import {
  Inject, LOGGER, METRICS_REPORTER, SERVER_INFO, SessionPool,
  type Logger, type MetricsReporter, type ServerIdentity, type Session,
} from '@pitaya-ts/core';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { decodeBindMsg, decodeKickMsg, decodePush, decodeRequest, encodeResponse } from '../protos/pitaya-codecs';
import type { PitayaRequest } from '../protos/proto-types';
import { RemoteService } from '../rpc/remote-service';
import type { RpcTransportServer } from '../rpc/rpc-transport';
import { NatsLink } from './nats-link';
import { NatsSubject } from './nats-subjects';

interface UserSubscription {
  readonly sessionId: number;
  readonly unsubscribe: () => void;
}

/**
 * Pitaya's `NatsRPCServer`: serves `protos.Request`s sent to `pitaya/servers/<type>/<id>` and
 * publishes each `protos.Response` to the request's reply subject (also copied into `msg.reply`,
 * as Go does). At most `services` requests run at once and `buffer.messages` wait; more are
 * dropped and counted (`rpcDropped`, Pitaya's `dropped_messages`), so a flood cannot grow memory.
 * A frontend also listens on its type's bindings subject (unique sessions) and, while a user is
 * bound here, on that user's push and kick subjects. Malformed messages are dropped and counted.
 */
@injectable('Singleton')
export class NatsRpcServer implements RpcTransportServer {
  readonly advertisedMetadata: Record<string, string> = {};
  private readonly link: NatsLink;
  private readonly services: number;
  private readonly capacity: number;
  private readonly waiting: Msg[] = [];
  /** Arrival times of `waiting`, index for index; kept only when a reporter measures handler delay. */
  private readonly waitingSince: number[] = [];
  private readonly timesDelay: boolean;
  private readonly users = new Map<string, UserSubscription>();
  private readonly unsubscribe: (() => void)[] = [];
  private running = 0;
  private droppedCount = 0;

  constructor(
    private readonly remote: RemoteService,
    private readonly pool: SessionPool,
    @Inject(CLUSTER_CONFIG) config: ClusterConfig,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    const nats = config.cluster.rpc.server.nats;
    this.services = nats.services;
    this.capacity = nats.buffer.messages;
    this.timesDelay = typeof metrics.handlerDelay === 'function';
    this.link = new NatsLink(`${self.type}/${self.id}/rpc-server`, nats, log);
  }

  /** Requests dropped since start: queue full, or not a `protos.Request` with a message. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Connected to NATS right now (readiness). */
  get connected(): boolean {
    return this.link.connected;
  }

  /** Users whose push/kick subjects this frontend listens on. */
  get subscribedUsers(): number {
    return this.users.size;
  }

  async init(): Promise<void> {
    await this.link.open();
    this.unsubscribe.push(this.link.subscribe(NatsSubject.server(this.self.type, this.self.id), (msg) => this.onRequest(msg)));
    if (this.self.frontend) {
      this.unsubscribe.push(
        this.link.subscribe(NatsSubject.bindings(this.self.type), (msg) => this.onBindings(msg)),
        this.pool.onAfterSessionBind((session) => this.onBind(session)),
        this.pool.onSessionClose((session) => this.onClose(session)),
      );
    }
    // Serving once init returns: the subscriptions have reached the NATS server.
    await this.link.flush();
  }

  async shutdown(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const user of this.users.values()) user.unsubscribe();
    this.users.clear();
    this.waiting.length = 0;
    this.waitingSince.length = 0;
    await this.link.close();
  }

  private onRequest(msg: Msg): void {
    if (this.running < this.services) this.run(msg, -1);
    else if (this.waiting.length < this.capacity) {
      this.waiting.push(msg);
      if (this.timesDelay) this.waitingSince.push(performance.now());
    } else this.drop('queue full');
  }

  /** `arrivedAt`: when a queued request arrived, -1 when it runs on arrival. */
  private run(msg: Msg, arrivedAt: number): void {
    this.running++;
    this.serve(msg, arrivedAt).catch((error: unknown) => this.log.error({ err: error }, 'NATS RPC failed')).finally(() => {
      this.running--;
      const next = this.waiting.shift();
      if (next) this.run(next, this.waitingSince.shift() ?? -1);
    });
  }

  private async serve(msg: Msg, arrivedAt: number): Promise<void> {
    let request: PitayaRequest;
    try {
      request = decodeRequest(msg.data);
    } catch {
      this.drop('malformed request');
      return;
    }
    // Pitaya drops requests without a message (#503): there is nothing to route.
    if (!request.msg) {
      this.drop('request without a message');
      return;
    }
    request.msg.reply = msg.reply ?? '';
    const response = await this.remote.call(request, arrivedAt);
    if (msg.reply) this.link.publish(msg.reply, encodeResponse(response));
  }

  private drop(reason: string): void {
    this.droppedCount++;
    this.metrics.rpcDropped?.();
    // Only the first drops of a burst are logged: a flood must not also flood the log.
    if (this.droppedCount <= 10 || this.droppedCount % 1000 === 0) this.log.warn({ reason, dropped: this.droppedCount }, 'NATS RPC message dropped');
  }

  private onBindings(msg: Msg): void {
    let bind;
    try {
      bind = decodeBindMsg(msg.data);
    } catch {
      this.drop('malformed bind message');
      return;
    }
    this.remote.sessionBindRemote(bind).catch((error: unknown) => this.log.warn({ err: error, uid: bind.uid }, 'remote bind notice failed'));
  }

  /** Awaited by the bind itself: once `bind()` resolves, pushes and kicks for the user reach this server. */
  private async onBind(session: Session): Promise<void> {
    const uid = session.uid;
    if (!session.isFrontend || uid === undefined) return;
    this.users.get(uid)?.unsubscribe();
    const offPush = this.link.subscribe(NatsSubject.userPush(this.self.type, uid), (msg) => this.onPush(msg));
    const offKick = this.link.subscribe(NatsSubject.userKick(this.self.type, uid), (msg) => this.onKick(msg));
    this.users.set(uid, {
      sessionId: session.id,
      unsubscribe: () => {
        offPush();
        offKick();
      },
    });
    await this.link.flush();
  }

  private onClose(session: Session): void {
    const uid = session.uid;
    if (uid === undefined) return;
    const user = this.users.get(uid);
    // A newer session of the same uid may own the subscription by now: leave it alone.
    if (!user || user.sessionId !== session.id) return;
    this.users.delete(uid);
    user.unsubscribe();
  }

  private onPush(msg: Msg): void {
    try {
      // The user may have left a moment ago: nothing to report, as in Pitaya.
      this.remote.pushToUser(decodePush(msg.data)).catch(() => undefined);
    } catch {
      this.drop('malformed push');
    }
  }

  private onKick(msg: Msg): void {
    try {
      this.remote.kickUser(decodeKickMsg(msg.data)).catch(() => undefined);
    } catch {
      this.drop('malformed kick');
    }
  }
}
