import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import type { Connection } from '../acceptors/acceptor';
import { METRICS_REPORTER, PITAYA_CONFIG } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';
import { Dispatcher } from '../dispatch/dispatcher';
import { LOGGER, type Logger } from '../logger';
import type { MetricsReporter } from '../metrics/metrics-reporter';
import { SessionPool } from '../session/session-pool';
import { Agent } from './agent';
import { ConnectionGuard } from './connection-guard';
import { HandshakeService } from './handshake-service';
import { HeartbeatScheduler } from './heartbeat-scheduler';
import { MessageEncoder } from './message-encoder';

/** The services every agent shares, gathered once so an agent costs one small object. */
@injectable('Singleton')
export class AgentServices {
  readonly maxPendingBytes: number;
  readonly handshakeTimeoutMs: number;

  constructor(
    readonly pool: SessionPool,
    readonly dispatcher: Dispatcher,
    readonly encoder: MessageEncoder,
    readonly handshake: HandshakeService,
    readonly heartbeat: HeartbeatScheduler,
    @Inject(METRICS_REPORTER) readonly metrics: MetricsReporter,
    @Inject(LOGGER) readonly log: Logger,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
    readonly guard: ConnectionGuard,
  ) {
    this.maxPendingBytes = config.buffer.agent.maxPendingBytes;
    this.handshakeTimeoutMs = config.conn.handshakeTimeout;
  }

  /** Wraps an accepted connection in an agent; undefined (and the connection destroyed) when a connection cap refuses it. */
  createAgent(connection: Connection): Agent | undefined {
    if (!this.guard.admit(connection)) return undefined;
    return new Agent(connection, this);
  }
}
