import type { RoutingContext, RoutingStrategy } from '@pitaya-ts/cluster';
import type { ServerInfo } from '@pitaya-ts/cluster';
import { Injectable } from '@pitaya-ts/core';

/**
 * A custom routing strategy for the `game` type: a bound user always lands on the same server
 * (servers sorted by id, picked by a hash of the uid); unbound sessions go to the first.
 */
@Injectable()
export class UidRouter implements RoutingStrategy {
  readonly serverType = 'game';

  route({ servers, session }: RoutingContext): ServerInfo {
    const sorted = [...servers].sort((a, b) => a.id.localeCompare(b.id));
    const uid = session.uid ?? '';
    let hash = 0;
    for (let i = 0; i < uid.length; i++) hash += uid.charCodeAt(i);
    return sorted[hash % sorted.length]!;
  }
}
