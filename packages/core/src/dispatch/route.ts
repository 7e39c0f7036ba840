import { badRequest } from '../errors/pitaya-error';

/** A route split into its parts: `serverType.service.method`, or `service.method` (local type). */
export interface RouteParts {
  /** Empty for a two-part route. */
  readonly serverType: string;
  readonly service: string;
  readonly method: string;
}

/** Parses a client or RPC route like Pitaya's `route.Decode`; throws PIT-400 on an invalid one. */
export function parseRoute(route: string): RouteParts {
  const parts = route.split('.');
  for (const part of parts) {
    if (part.trim().length === 0) throw badRequest('route field can not be empty');
  }
  if (parts.length === 3) return { serverType: parts[0]!, service: parts[1]!, method: parts[2]! };
  if (parts.length === 2) return { serverType: '', service: parts[0]!, method: parts[1]! };
  throw badRequest('invalid route');
}

/** `serverType.service.method`, or `service.method` without a type. */
export function formatRoute(parts: RouteParts): string {
  return parts.serverType ? `${parts.serverType}.${parts.service}.${parts.method}` : `${parts.service}.${parts.method}`;
}
