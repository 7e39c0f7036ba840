import type { Acceptor, AcceptorAddress, AcceptorContext, Connection } from './acceptor';

/**
 * Changes connections as an acceptor hands them over (Pitaya's acceptor wrappers): it can watch,
 * drop or transform packets before the agent sees them. Return the connection itself to leave it as is.
 */
export interface ConnectionWrapper {
  wrap(connection: Connection, context: AcceptorContext): Connection;
}

/** An acceptor whose connections pass through `wrappers`, first one innermost. */
export function withWrappers(acceptor: Acceptor, ...wrappers: ConnectionWrapper[]): Acceptor {
  return {
    get name() {
      return acceptor.name;
    },
    get address(): AcceptorAddress | undefined {
      return acceptor.address;
    },
    listen: (onConnection, context) =>
      acceptor.listen((connection) => onConnection(wrappers.reduce((c, w) => w.wrap(c, context), connection)), context),
    stopAccepting: () => acceptor.stopAccepting(),
    close: () => acceptor.close(),
  };
}
