import { injectable } from 'inversify';
import { ErrorCode, Inject, PitayaError, type Session } from '@pitaya-ts/core';
import { type RouteParts } from '@pitaya-ts/core/internal';
import { ROUTING_STRATEGIES } from '../cluster-tokens';
import type { ServerInfo } from '../server-info';

/** What a routing strategy decides on. */
export interface RoutingContext {
  readonly route: RouteParts;
  readonly session: Session;
  /** The servers of the route's type, never empty. */
  readonly servers: readonly ServerInfo[];
  /** The client's payload (inflated). */
  readonly payload: Uint8Array;
}

/**
 * Chooses the server of one type that gets a forwarded client message (Pitaya's `RoutingFunc`),
 * e.g. by room id so a room's players share a backend. Provide classes through
 * `ClusterModule.forRoot({ routers: [...] })`; they are constructed with dependency injection.
 */
export interface RoutingStrategy {
  readonly serverType: string;
  route(context: RoutingContext): ServerInfo | Promise<ServerInfo>;
}

/** Routes forwarded messages: the strategy of the server type, else uniformly at random. */
@injectable('Singleton')
export class Router {
  private readonly strategies = new Map<string, RoutingStrategy>();

  constructor(@Inject(ROUTING_STRATEGIES) strategies: readonly RoutingStrategy[]) {
    for (const strategy of strategies) {
      if (this.strategies.has(strategy.serverType)) {
        throw new Error(`two routing strategies for server type ${strategy.serverType}`);
      }
      this.strategies.set(strategy.serverType, strategy);
    }
  }

  async route(context: RoutingContext): Promise<ServerInfo> {
    const strategy = this.strategies.get(context.route.serverType);
    if (!strategy) return randomServer(context.servers);
    let chosen: ServerInfo;
    try {
      chosen = await strategy.route(context);
    } catch (error) {
      throw PitayaError.wrap(error, ErrorCode.Internal);
    }
    if (!chosen || chosen.type !== context.route.serverType) {
      throw new PitayaError(ErrorCode.Internal, `the routing strategy of ${context.route.serverType} chose no server of that type`);
    }
    return chosen;
  }
}

/** Pitaya's default: one server of the type, uniformly at random. */
export function randomServer(servers: readonly ServerInfo[]): ServerInfo {
  return servers[Math.floor(Math.random() * servers.length)]!;
}
