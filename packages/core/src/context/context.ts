import type { Session } from '../session/session';

/**
 * Per-message context passed as the first argument of every handler, remote and pipeline. It
 * carries the session, the route and the propagated values that travel with RPCs (Pitaya's
 * propagate context: `peer.id`, `request.id`, …). Created once per message; nothing is resolved
 * from the container per message.
 */
export class Context {
  private propagated: Record<string, unknown> | undefined;
  /** Where the propagated values come from until first read (set by the internal `contextWithLazyPropagated`). */
  private source: (() => Record<string, unknown>) | undefined;

  constructor(
    /** The client's session (a backend copy on backends; an empty one for user RPCs). */
    readonly session: Session,
    /** The full route being handled, `serverType.service.method`. */
    readonly route: string,
    /** The client message id (0 for notifies and RPCs). */
    readonly messageId: number,
    /** True when no reply is expected. */
    readonly notify: boolean,
    propagated?: Record<string, unknown>,
  ) {
    this.propagated = propagated;
  }

  /** A propagated value (e.g. `peer.id` of the calling server). */
  get<T = unknown>(key: string): T | undefined {
    return this.values()?.[key] as T | undefined;
  }

  /** Sets a value that travels with every RPC made from this context (Pitaya's `AddToPropagateCtx`). */
  set(key: string, value: unknown): void {
    (this.values() ?? (this.propagated = {}))[key] = value;
  }

  /** All propagated values (a copy). */
  propagatedValues(): Record<string, unknown> {
    return { ...this.values() };
  }

  private values(): Record<string, unknown> | undefined {
    const source = this.source;
    if (source !== undefined) {
      this.source = undefined;
      this.propagated = source();
    }
    return this.propagated;
  }
}
