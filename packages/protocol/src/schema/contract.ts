import type { SchemaInput, SchemaOutput, StandardSchemaV1 } from './standard-schema';

/** What one route takes and returns, declared once; the server validates the body with `request`. */
export interface RouteContract {
  /** Schema of the body. A body that fails it is answered PIT-400 before the handler runs. */
  readonly request?: StandardSchemaV1;
  /** Schema of the reply (types and docs; the server's own replies are not re-validated). */
  readonly response?: StandardSchemaV1;
  /** A notify: the client expects no reply. */
  readonly notify?: boolean;
  /** One line for the protocol document. */
  readonly description?: string;
}

/** Push routes of a service and the schema of each push body. */
export type PushContracts = Readonly<Record<string, StandardSchemaV1>>;

/**
 * The client-facing shape of a handler service: its routes (method name → contract) and the pushes it
 * sends. Made by {@link defineService}; the server binds it with `@Handler(contract)` and a client
 * derives its typed surface from its type with {@link ApiOf}.
 */
export interface ServiceContract<
  Name extends string = string,
  Routes extends Readonly<Record<string, RouteContract>> = Readonly<Record<string, RouteContract>>,
  Pushes extends PushContracts = PushContracts,
> {
  readonly kind: 'pitaya-service';
  /** Service name, the middle part of `serverType.service.method`. */
  readonly name: Name;
  readonly routes: Routes;
  readonly pushes: Pushes;
}

/**
 * Declares a service's routes and pushes once, with Standard Schema schemas (zod in the examples).
 * Browser-safe: a client bundle may import the same file for its types.
 *
 * @example
 * ```ts
 * export const RoomService = defineService('room', {
 *   join: { response: JoinResponse },
 *   message: { request: UserMessage, notify: true },
 * }, { pushes: { onMessage: UserMessage } });
 * ```
 */
export function defineService<
  const Name extends string,
  const Routes extends Readonly<Record<string, RouteContract>>,
  const Pushes extends PushContracts = {},
>(name: Name, routes: Routes, options: { readonly pushes?: Pushes } = {}): ServiceContract<Name, Routes, Pushes> {
  return Object.freeze({ kind: 'pitaya-service', name, routes, pushes: (options.pushes ?? {}) as Pushes });
}

/** True when `value` was made by {@link defineService}. */
export function isServiceContract(value: unknown): value is ServiceContract {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'pitaya-service';
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequestsOf<Type extends string, S> = S extends ServiceContract<infer N, infer R, PushContracts>
  ? { [K in keyof R & string as R[K]['notify'] extends true ? never : `${Type}.${N}.${K}`]: {
      body: SchemaInput<R[K]['request']>;
      reply: SchemaOutput<R[K]['response']>;
    } }
  : never;

type NotifiesOf<Type extends string, S> = S extends ServiceContract<infer N, infer R, PushContracts>
  ? { [K in keyof R & string as R[K]['notify'] extends true ? `${Type}.${N}.${K}` : never]: { body: SchemaInput<R[K]['request']> } }
  : never;

type PushesOf<S> = S extends ServiceContract<string, Readonly<Record<string, RouteContract>>, infer P>
  ? { [K in keyof P & string]: SchemaOutput<P[K]> }
  : never;

/** The typed surface of a set of services: what a typed client accepts. */
export interface ClientApi {
  readonly requests: { readonly [route: string]: { body: unknown; reply: unknown } };
  readonly notifies: { readonly [route: string]: { body: unknown } };
  readonly pushes: { readonly [route: string]: unknown };
}

/**
 * The client API of services served by `ServerType` servers, computed from their contracts' types:
 * routes `serverType.service.method` with body and reply types, and push routes with their bodies.
 * Pass a union of server types when the same services run under several (standalone and cluster).
 *
 * @example `export type ChatApi = ApiOf<'chat', [typeof RoomService]>;`
 */
export type ApiOf<ServerType extends string, Services extends readonly ServiceContract[]> = {
  requests: Simplify<UnionToIntersection<RequestsOf<ServerType, Services[number]>>>;
  notifies: Simplify<UnionToIntersection<NotifiesOf<ServerType, Services[number]>>>;
  pushes: Simplify<UnionToIntersection<PushesOf<Services[number]>>>;
};
