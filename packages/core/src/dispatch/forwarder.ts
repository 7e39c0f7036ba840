import { injectable } from 'inversify';
import type { Message } from '@pitaya-ts/protocol';
import { notFound } from '../errors/pitaya-error';
import type { FrontendSession } from '../session/frontend-session';
import type { RouteParts } from './route';

/**
 * Where the dispatcher sends a client message whose route names another server type (Pitaya's
 * Sys RPC). Standalone servers answer PIT-404; the cluster package binds one that calls a server
 * of that type.
 */
export interface Forwarder {
  /**
   * Forwards `message` (payload already inflated in `payload`). Resolves with the reply bytes as the
   * remote server serialized them (`undefined` for a notify), or rejects with a `PitayaError`.
   */
  forward(session: FrontendSession, message: Message, route: RouteParts, payload: Uint8Array): Promise<Uint8Array | undefined>;
}

/** Standalone mode: there is no other server, so a foreign route is not found. */
@injectable('Singleton')
export class StandaloneForwarder implements Forwarder {
  forward(_session: FrontendSession, _message: Message, route: RouteParts): Promise<Uint8Array | undefined> {
    return Promise.reject(
      notFound(`pitaya/handler: ${route.serverType}.${route.service}.${route.method} not found (standalone server: no server of type "${route.serverType}")`),
    );
  }
}
