import type { Lease } from 'etcd3';

/** What a {@link LeaseKeeper} reports. */
export interface LeaseKeeperEvents {
  /** A keep-alive was answered: etcd is reachable and the lease alive. */
  readonly onAlive?: () => void;
  /** A keep-alive failed (etcd unreachable, or the lease is gone: then etcd3 also emits `lost`). */
  readonly onFailure?: (err: unknown) => void;
}

/**
 * Keeps an etcd3 lease (created with `autoKeepAlive: false`) alive with one `keepaliveOnce` every TTL/3,
 * as the Go client does, retrying every 500 ms while it fails.
 *
 * Why not etcd3's own `autoKeepAlive`: a keep-alive answer that arrives after `revoke()` re-arms its
 * TTL-long watchdog timer, so a revoked 5 h lease could keep the process alive for 5 h after shutdown.
 * Our timers are unref'd, and a stopped keeper ignores late answers.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly lease: Lease,
    private readonly ttlSeconds: number,
    private readonly timeoutMs: number,
    private readonly events: LeaseKeeperEvents,
  ) {}

  /** Starts the loop; the first keep-alive is sent after TTL/3. */
  start(): void {
    this.schedule(this.intervalMs());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private intervalMs(): number {
    return Math.max(200, (this.ttlSeconds * 1000) / 3);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs).unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.lease.revoked()) return;
    try {
      await this.lease.keepaliveOnce({ deadline: Date.now() + this.timeoutMs });
      if (this.stopped) return;
      this.events.onAlive?.();
      this.schedule(this.intervalMs());
    } catch (e) {
      if (this.stopped) return;
      this.events.onFailure?.(e);
      this.schedule(Math.min(500, this.intervalMs()));
    }
  }
}
