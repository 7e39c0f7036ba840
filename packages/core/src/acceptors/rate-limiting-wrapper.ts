import { KICK_PACKET, PacketType, type ProtocolError } from '@pitaya-ts/protocol';
import type { AcceptorContext, Connection, ConnectionHandler } from './acceptor';
import type { ConnectionWrapper } from './acceptor-wrapper';
import { writeEach } from './write-many';

/** Limits of {@link rateLimiting}; each defaults to `conn.rateLimiting.*` of the configuration. */
export interface RateLimitingOptions {
  /** Data packets allowed per `intervalMs` (Pitaya default 20). */
  readonly limit?: number;
  /** Window length in milliseconds (Pitaya default 1 s). */
  readonly intervalMs?: number;
  /** Bypass the limiter (`conn.rateLimiting.forceDisable`). */
  readonly forceDisable?: boolean;
  /**
   * Kick (kick packet, then close) a client once this many of its packets were dropped
   * (`conn.rateLimiting.kickAfter`; 0 never kicks, only drops).
   */
  readonly kickAfter?: number;
}

/**
 * Per-connection rate limiting with Pitaya's leaky bucket: the timestamps of the last `limit` data
 * packets are kept, and a data packet arriving while all of them are younger than the interval is
 * dropped (and counted with `MetricsReporter.rateLimited`). Unlike Pitaya, handshake and heartbeat
 * packets are never dropped: losing them would disconnect a client that is merely chatty. With
 * `kickAfter`, an abuser is kicked after that many drops (counted as refusal `rate-limit-kick`).
 */
export function rateLimiting(options: RateLimitingOptions = {}): ConnectionWrapper {
  return {
    wrap(connection: Connection, context: AcceptorContext): Connection {
      const config = context.config.conn.rateLimiting;
      if (options.forceDisable ?? config.forceDisable) return connection;
      return new RateLimitedConnection(connection, options.limit ?? config.limit, options.intervalMs ?? config.interval, options.kickAfter ?? config.kickAfter, context);
    },
  };
}

class RateLimitedConnection implements Connection {
  private readonly slots: Float64Array;
  private next = 0;
  private drops = 0;

  constructor(
    private readonly inner: Connection,
    limit: number,
    private readonly intervalMs: number,
    private readonly kickAfter: number,
    private readonly context: AcceptorContext,
  ) {
    this.slots = new Float64Array(limit).fill(-Infinity);
  }

  get transport(): string {
    return this.inner.transport;
  }
  get remoteAddress(): string {
    return this.inner.remoteAddress;
  }
  get pendingBytes(): number {
    return this.inner.pendingBytes;
  }

  setHandler(handler: ConnectionHandler): void {
    this.inner.setHandler({
      onPacket: (type: PacketType, body: Uint8Array) => {
        if (type === PacketType.Data && !this.take()) {
          this.context.metrics.rateLimited();
          this.context.log.debug({ remote: this.remoteAddress }, 'data packet dropped: rate limit exceeded');
          if (this.kickAfter > 0 && ++this.drops === this.kickAfter) this.kick();
          return;
        }
        handler.onPacket(type, body);
      },
      onMalformed: (error: ProtocolError) => handler.onMalformed(error),
      onClose: (reason: string) => handler.onClose(reason),
    });
  }

  private kick(): void {
    this.context.metrics.refused('rate-limit-kick');
    this.context.log.info({ remote: this.remoteAddress, drops: this.drops }, 'kicking client: too many rate-limit violations');
    this.inner.write(KICK_PACKET);
    this.inner.close();
  }

  /** Takes a slot; false when the oldest of the last `limit` packets is still inside the window. */
  private take(): boolean {
    const now = performance.now();
    if (now - this.slots[this.next]! < this.intervalMs) return false;
    this.slots[this.next] = now;
    this.next = (this.next + 1) % this.slots.length;
    return true;
  }

  write(packet: Uint8Array): void {
    this.inner.write(packet);
  }
  writeMany(packets: readonly Uint8Array[]): void {
    writeEach(this.inner, packets);
  }
  pause(): void {
    this.inner.pause();
  }
  resume(): void {
    this.inner.resume();
  }
  close(): void {
    this.inner.close();
  }
  destroy(): void {
    this.inner.destroy();
  }
}
