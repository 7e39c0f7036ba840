import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import type { Connection } from '../acceptors/acceptor';
import { METRICS_REPORTER, PITAYA_CONFIG } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';
import { LOGGER, type Logger } from '../logger';
import type { MetricsReporter } from '../metrics/metrics-reporter';

/**
 * Admission of client connections: the total and per-IP caps (`conn.maxConnections`,
 * `conn.maxConnectionsPerIp`). A refused connection is destroyed before an agent or a session
 * exists for it, and counted. With both caps off (the default) nothing is counted per IP.
 */
@injectable('Singleton')
export class ConnectionGuard {
  private readonly maxTotal: number;
  private readonly maxPerIp: number;
  private open = 0;
  private readonly perIp = new Map<string, number>();

  constructor(
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
    @Inject(METRICS_REPORTER) private readonly metrics: MetricsReporter,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.maxTotal = config.conn.maxConnections;
    this.maxPerIp = config.conn.maxConnectionsPerIp;
  }

  /** Connections admitted and not yet released. */
  get connections(): number {
    return this.open;
  }

  /** Counts `connection` in, or destroys it and returns false when a cap is reached. */
  admit(connection: Connection): boolean {
    if (this.maxTotal > 0 && this.open >= this.maxTotal) return this.refuse(connection, 'connection-limit');
    if (this.maxPerIp > 0) {
      const ip = ipOf(connection.remoteAddress);
      const count = this.perIp.get(ip) ?? 0;
      if (count >= this.maxPerIp) return this.refuse(connection, 'ip-limit');
      this.perIp.set(ip, count + 1);
    }
    this.open++;
    return true;
  }

  /** Counts an admitted connection out (once, when it closes). */
  release(connection: Connection): void {
    this.open--;
    if (this.maxPerIp <= 0) return;
    const ip = ipOf(connection.remoteAddress);
    const count = this.perIp.get(ip) ?? 0;
    if (count <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, count - 1);
  }

  private refuse(connection: Connection, reason: 'connection-limit' | 'ip-limit'): false {
    this.metrics.refused(reason);
    this.log.debug({ remote: connection.remoteAddress, reason }, 'connection refused');
    connection.destroy();
    return false;
  }
}

/**
 * The IP part of a connection's address: `host:port` as the acceptors write it (`::ffff:1.2.3.4:5678`
 * for IPv4-mapped and `::1:5678` for IPv6 too), or a bare IPv4 address (a trusted `X-Forwarded-For`).
 */
export function ipOf(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  return colon < 0 ? remoteAddress : remoteAddress.slice(0, colon);
}
