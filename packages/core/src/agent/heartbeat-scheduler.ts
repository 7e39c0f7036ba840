import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { PITAYA_CONFIG } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';

/** What the scheduler needs from a connection. */
export interface HeartbeatTarget {
  /** `Date.now()` of the last packet received. */
  readonly lastAt: number;
  /** True once the handshake is done: heartbeats before it would confuse clients. */
  readonly handshaken: boolean;
  sendHeartbeat(): void;
  close(reason: string): void;
}

/**
 * One timer for every connection instead of one per connection. Each tick sends a heartbeat to
 * every handshaken client and closes those silent for more than two intervals (Pitaya's rule).
 */
@injectable('Singleton')
export class HeartbeatScheduler {
  private readonly targets = new Set<HeartbeatTarget>();
  private timer: NodeJS.Timeout | undefined;
  readonly intervalMs: number;

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
  tick(now = Date.now()): void {
    const deadline = now - 2 * this.intervalMs;
    for (const target of this.targets) {
      if (target.lastAt < deadline) target.close('heartbeat timeout');
      else if (target.handshaken) target.sendHeartbeat();
    }
  }
}
