/** Options of `@Handler` and `@Remote`. */
export interface ServiceOptions {
  /**
   * Service name, the middle part of `serverType.service.method`. Default: the class name without a
   * `Handler`/`Remote` suffix, first letter lower-cased (`RoomHandler` → `room`).
   */
  readonly name?: string;
  /** Turns method names into route names, like Pitaya's `WithNameFunc` (e.g. `(m) => m.toLowerCase()`). */
  readonly nameTransform?: (method: string) => string;
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
