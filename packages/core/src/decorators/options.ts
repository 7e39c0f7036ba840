import type { PushContracts, ServiceContract, StandardSchemaV1 } from '@pitaya-ts/protocol';

/** Options of `@Handler` and `@Remote`. */
export interface ServiceOptions {
  /**
   * Service name, the middle part of `serverType.service.method`. Default: the class name without a
   * `Handler`/`Remote` suffix, first letter lower-cased (`RoomHandler` → `room`).
   */
  readonly name?: string;
  /** Turns method names into route names, like Pitaya's `WithNameFunc` (e.g. `(m) => m.toLowerCase()`). */
  readonly nameTransform?: (method: string) => string;
  /**
   * The service's routes and pushes declared with `defineService` (what `@Handler(contract)` sets): each
   * route is the method of the same name, with the contract's schemas.
   */
  readonly contract?: ServiceContract;
  /** Push routes this service sends and their body schemas (for the protocol document and typed clients). */
  readonly pushes?: PushContracts;
}

/** Options of `@Route` on a handler or remote method. */
export interface RouteOptions {
  /** Route method name; replaces the (transformed) method name. */
  readonly name?: string;
  /** A notify route: the client expects no reply, a request to it is refused with PIT-400. */
  readonly notify?: boolean;
  /** Not a route at all. */
  readonly ignore?: boolean;
  /**
   * Pass the body as the received bytes, undecoded. Inferred when the second parameter is typed
   * `Uint8Array` or `Buffer` and the method carries any decorator (TypeScript emits parameter types
   * only for decorated methods).
   */
  readonly raw?: boolean;
  /** Protobuf message type of the body (fully qualified, e.g. `chat.JoinRequest`), for the protobuf serializer and remotes. */
  readonly requestType?: string;
  /** Protobuf message type of the reply. */
  readonly responseType?: string;
  /**
   * Standard Schema (zod, valibot, arktype…) of the body: it is validated before the handler runs, for
   * client requests and for RPCs arriving from other servers alike; a failure answers PIT-400 naming the
   * failing path. The handler receives the schema's output.
   */
  readonly request?: StandardSchemaV1;
  /** Standard Schema of the reply, for types and the protocol document (replies are not re-validated). */
  readonly response?: StandardSchemaV1;
  /** One line for the protocol document. */
  readonly description?: string;
}

/** Which routes a pipeline runs on. */
export type PipelineTarget = 'handlers' | 'remotes';

/** Options of `@Pipeline`. */
export interface PipelineOptions {
  /** Default `['handlers']`. Handler pipelines also run for requests forwarded from a frontend. */
  readonly appliesTo?: readonly PipelineTarget[];
  /** Lower runs first; ties keep declaration order. Default 0. */
  readonly order?: number;
  /** Only these routes (full `type.service.method` strings or patterns). Default: every route. */
  readonly routes?: readonly (string | RegExp)[];
}
