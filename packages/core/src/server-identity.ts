/** This server as the cluster knows it (same fields as Pitaya's `cluster.Server`). */
export interface ServerIdentity {
  /** Unique id (a UUID v4 by default). Must not contain `/`. */
  readonly id: string;
  /** Server type, the first part of routes. Must not contain `/` or `.`. */
  readonly type: string;
  /** Free-form metadata advertised through service discovery. */
  readonly metadata: Readonly<Record<string, string>>;
  /** True when this server holds client connections. */
  readonly frontend: boolean;
  readonly hostname: string;
}
