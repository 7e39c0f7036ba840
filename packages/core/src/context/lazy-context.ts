import type { Session } from '../session/session';
import { Context } from './context';

/**
 * A context whose propagated values are produced by `source` on first use: a backend decodes the
 * JSON metadata of a forwarded request only if a handler, pipeline or RPC reads it. Internal.
 */
export function contextWithLazyPropagated(
  session: Session, route: string, messageId: number, notify: boolean, source: () => Record<string, unknown>,
): Context {
  const context = new Context(session, route, messageId, notify);
  // The field is private to keep it off the public API; this function is its one writer.
  (context as unknown as { source: () => Record<string, unknown> }).source = source;
  return context;
}
