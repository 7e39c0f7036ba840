import type { RouteContract, SchemaOutput, ServiceContract } from '@pitaya-ts/protocol';
import type { Context } from '../context/context';

/** The body a handler receives for a route of a contract: the request schema's output. */
export type BodyOf<R extends RouteContract> = R extends { readonly request: infer S } ? SchemaOutput<S> : undefined;

/** What a handler returns for a route of a contract: the response schema's type (nothing for a notify). */
export type ReplyOf<R extends RouteContract> = R['notify'] extends true
  ? void
  : R extends { readonly response: infer S } ? SchemaOutput<S> : unknown;

/**
 * The methods a `@Handler(contract)` class must have, typed from the contract's schemas:
 * `class RoomHandler implements HandlerOf<typeof RoomService>` fails to compile when a route is
 * missing, takes the wrong body or returns the wrong reply.
 */
export type HandlerOf<C extends ServiceContract> = {
  [K in keyof C['routes']]: (ctx: Context, body: BodyOf<C['routes'][K]>) => ReplyOf<C['routes'][K]> | PromiseLike<ReplyOf<C['routes'][K]>>;
};
