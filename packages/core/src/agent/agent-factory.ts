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
import { HandshakeService } from './handshake-service';
import { HeartbeatScheduler } from './heartbeat-scheduler';
import { MessageEncoder } from './message-encoder';

/** The services every agent shares, gathered once so an agent costs one small object. */
@injectable('Singleton')
export class AgentServices {
  readonly maxPendingBytes: number;

  constructor(
    readonly pool: SessionPool,
    readonly dispatcher: Dispatcher,
    readonly encoder: MessageEncoder,
    readonly handshake: HandshakeService,
    readonly heartbeat: HeartbeatScheduler,
    @Inject(METRICS_REPORTER) readonly metrics: MetricsReporter,
    @Inject(LOGGER) readonly log: Logger,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
  ) {
    this.maxPendingBytes = config.buffer.agent.maxPendingBytes;
  }

  /** Wraps an accepted connection in an agent. */
  createAgent(connection: Connection): Agent {
    return new Agent(connection, this);
  }
}
