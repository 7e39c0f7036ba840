import { connect, ErrorCode as NatsErrorCode, Events, type ConnectionOptions, type Msg, type NatsConnection, type NatsError, type Subscription } from 'nats';
import type { Logger } from '@pitaya-ts/core';
import type { NatsConnectionConfig } from './nats-config';

/** Why a NATS request failed, as the RPC client maps it to a Pitaya error. */
export type NatsFailure = 'disconnected' | 'timeout' | 'no-responders' | 'other';

/** A failed {@link NatsLink.request}. */
export class NatsRequestError extends Error {
  constructor(readonly failure: NatsFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsRequestError';
  }
}

type Handler = (msg: Msg) => void;

interface Registered {
  readonly subject: string;
  readonly handler: Handler;
  sub: Subscription | undefined;
}

/**
 * One NATS connection with Pitaya's options (reconnect wait, jitter, attempts, ping interval) and one
 * difference: when the client gives up reconnecting, Pitaya kills the process; this link keeps
 * trying in the background (every `reconnectWait`) and, once back, subscribes again to everything
 * registered through {@link NatsLink.subscribe}. While it is not connected, requests and publishes
 * fail at once instead of queuing, so callers get an error rather than a hang.
 */
export class NatsLink {
  private nc: NatsConnection | undefined;
  private readonly subscriptions = new Set<Registered>();
  private closing = false;
  private reviveTimer: NodeJS.Timeout | undefined;
  private up = false;

  constructor(
    private readonly name: string,
    private readonly config: NatsConnectionConfig,
    private readonly log: Logger,
  ) {}

  /** Connected to a NATS server right now. */
  get connected(): boolean {
    return this.up;
  }

  /** Connects, retrying like Pitaya (`RetryOnFailedConnect`) up to `maxReconnectionRetries`; rejects after. */
  async open(): Promise<void> {
    this.closing = false;
    try {
      this.attach(await connect({ ...this.options(), waitOnFirstConnect: true }));
    } catch (error) {
      throw new Error(`cannot connect to NATS at ${this.config.connect}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Drains and closes; no reconnection after this. */
  async close(): Promise<void> {
    this.closing = true;
    this.up = false;
    clearTimeout(this.reviveTimer);
    this.subscriptions.clear();
    const nc = this.nc;
    this.nc = undefined;
    if (!nc || nc.isClosed()) return;
    await nc.drain().catch(() => nc.close());
  }

  /**
   * Subscribes now (if connected) and after every rebuilt connection. The handler runs synchronously
   * in the socket's read loop: it must not block. Returns the unsubscribe function.
   */
  subscribe(subject: string, handler: Handler): () => void {
    const entry: Registered = { subject, handler, sub: undefined };
    this.subscriptions.add(entry);
    if (this.nc && !this.nc.isClosed()) entry.sub = this.subscribeOn(this.nc, entry);
    return () => {
      this.subscriptions.delete(entry);
      try {
        entry.sub?.unsubscribe();
      } catch {
        // the connection is gone: nothing to unsubscribe from
      }
      entry.sub = undefined;
    };
  }

  /** Resolves once the server processed everything sent so far (subscriptions included). */
  async flush(): Promise<void> {
    // A connection lost meanwhile resubscribes everything when it comes back: nothing to report here.
    if (this.up && this.nc) await this.nc.flush().catch(() => undefined);
  }

  /** Publishes, or returns false when not connected (the message would only sit in a buffer). */
  publish(subject: string, data: Uint8Array): boolean {
    const nc = this.nc;
    if (!this.up || !nc) return false;
    try {
      nc.publish(subject, data);
      return true;
    } catch {
      return false;
    }
  }

  /** A request/reply with a deadline; rejects with a {@link NatsRequestError}. */
  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const nc = this.nc;
    if (!this.up || !nc) throw new NatsRequestError('disconnected', 'nats is not connected');
    try {
      return (await nc.request(subject, data, { timeout: timeoutMs })).data;
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === NatsErrorCode.Timeout) throw new NatsRequestError('timeout', 'request timeout', { cause: error });
      if (code === NatsErrorCode.NoResponders) throw new NatsRequestError('no-responders', 'no responders', { cause: error });
      if (!this.up || code === NatsErrorCode.Disconnect || code === NatsErrorCode.ConnectionClosed) {
        throw new NatsRequestError('disconnected', 'nats is not connected', { cause: error });
      }
      throw new NatsRequestError('other', (error as Error).message, { cause: error });
    }
  }

  private options(): ConnectionOptions {
    const c = this.config;
    return {
      servers: c.connect.split(',').map((s) => s.trim()).filter((s) => s !== ''),
      name: this.name,
      timeout: c.connectionTimeout,
      maxReconnectAttempts: c.maxReconnectionRetries,
      reconnectTimeWait: c.reconnectWait,
      reconnectJitter: c.reconnectJitter,
      reconnectJitterTLS: c.reconnectJitterTls,
      pingInterval: c.pingInterval,
      maxPingOut: c.maxPingsOutstanding,
    };
  }

  private attach(nc: NatsConnection): void {
    if (this.closing) {
      void nc.close();
      return;
    }
    this.nc = nc;
    this.up = true;
    for (const entry of this.subscriptions) entry.sub = this.subscribeOn(nc, entry);
    void this.watch(nc);
    void nc.closed().then((error) => {
      if (this.nc !== nc) return;
      this.up = false;
      if (this.closing) return;
      this.log.error({ err: error, nats: this.config.connect, link: this.name }, 'NATS connection lost for good: rebuilding it in the background');
      this.revive();
    });
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (this.nc !== nc) return;
      if (status.type === Events.Disconnect) {
        this.up = false;
        this.log.warn({ nats: String(status.data), link: this.name }, 'NATS disconnected: RPCs fail until it reconnects');
      } else if (status.type === Events.Reconnect) {
        this.up = true;
        this.log.info({ nats: String(status.data), link: this.name }, 'NATS reconnected');
      } else if (status.type === Events.LDM) {
        this.log.warn({ nats: String(status.data), link: this.name }, 'NATS server entering lame duck mode: the client moves to another server');
      }
    }
  }

  private revive(): void {
    this.reviveTimer = setTimeout(() => {
      if (this.closing) return;
      connect(this.options()).then(
        (nc) => {
          this.log.info({ nats: this.config.connect, link: this.name }, 'NATS connection rebuilt');
          this.attach(nc);
        },
        () => this.revive(),
      );
    }, this.config.reconnectWait);
  }

  private subscribeOn(nc: NatsConnection, entry: Registered): Subscription {
    return nc.subscribe(entry.subject, {
      callback: (error, msg) => {
        if (error) {
          this.log.warn({ err: error, subject: entry.subject, link: this.name }, 'NATS subscription error');
          return;
        }
        entry.handler(msg);
      },
    });
  }
}
