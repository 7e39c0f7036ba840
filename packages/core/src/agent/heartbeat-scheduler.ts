import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { PITAYA_CONFIG } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';

/** What the scheduler needs from a connection. */
export interface HeartbeatTarget {
  /** The scheduler's {@link HeartbeatScheduler.round} when the last packet was received. */
  readonly lastRound: number;
  /** True once the handshake is done: heartbeats before it would confuse clients. */
  readonly handshaken: boolean;
  sendHeartbeat(): void;
  close(reason: string): void;
}

/**
 * One timer for every connection instead of one per connection. Each tick sends a heartbeat to
 * every handshaken client and closes those silent for more than two intervals (Pitaya's rule).
 * Connections stamp the current {@link round} on each packet instead of reading the clock: a clock
 * read per packet costs as much as a route lookup, and a tick's resolution is all the rule needs.
 */
@injectable('Singleton')
export class HeartbeatScheduler {
  private readonly targets = new Set<HeartbeatTarget>();
  private timer: NodeJS.Timeout | undefined;
  readonly intervalMs: number;
  /** Ticks so far. */
  round = 0;

  constructor(@Inject(PITAYA_CONFIG) config: PitayaConfig) {
    this.intervalMs = config.heartbeat.interval;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  add(target: HeartbeatTarget): void {
    this.targets.add(target);
  }

  remove(target: HeartbeatTarget): void {
    this.targets.delete(target);
  }

  /** One round: exposed for tests. */
  tick(): void {
    const round = ++this.round;
    for (const target of this.targets) {
      // Last heard during round r, i.e. before tick r + 1: silent for at least (round - r - 1) intervals.
      if (round - target.lastRound > 2) target.close('heartbeat timeout');
      else if (target.handshaken) target.sendHeartbeat();
    }
  }
}
