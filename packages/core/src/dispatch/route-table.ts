import type { StandardSchemaV1 } from '@pitaya-ts/protocol';
import { RouteDictionary } from '@pitaya-ts/protocol';
import type { Context } from '../context/context';
import type { AfterPipeline, BeforePipeline } from '../pipeline/pipeline.interfaces';
import type { Serializer } from '../serialize/serializer';

/** How a route receives its body. */
export type BodyMode =
  /** The method takes only the context: the payload is not decoded. */
  | 'none'
  /** The method's second parameter is a `Uint8Array`/`Buffer`: the payload as received. */
  | 'raw'
  /** The payload decoded by the route's serializer. */
  | 'decoded';

/** One route, resolved once at start-up. */
export interface RouteEntry {
  /** `serverType.service.method`. */
  readonly route: string;
  readonly serverType: string;
  readonly service: string;
  readonly method: string;
  /** `ClassName.methodName`, for messages. */
  readonly owner: string;
  readonly kind: 'handler' | 'remote';
  readonly notify: boolean;
  readonly bodyMode: BodyMode;
  readonly requestType: string | undefined;
  readonly responseType: string | undefined;
  /** Decodes the body and encodes the reply. */
  readonly serializer: Serializer;
  /** Declared schema of the body, if any. */
  readonly request?: StandardSchemaV1;
  /** Declared schema of the reply, if any. */
  readonly response?: StandardSchemaV1;
  readonly description?: string;
  /**
   * Validates a decoded body against `request`, prepared once at start-up: returns the schema's output
   * (or a promise of it for async schemas), throws PIT-400 naming the failing path.
   */
  readonly validate?: (body: unknown) => unknown;
  readonly invoke: (ctx: Context, body: unknown) => unknown;
  readonly before: readonly BeforePipeline[];
  readonly after: readonly AfterPipeline[];
  /** The route's guards and exception filters around the plain invocation; absent when it has none. */
  readonly enhanced?: (entry: RouteEntry, ctx: Context, payload: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** A push route a handler service declares, with the schema of its body. */
export interface PushEntry {
  readonly route: string;
  readonly schema: StandardSchemaV1;
  /** The class that declares it. */
  readonly owner: string;
}

/**
 * The table of handler and remote routes. It exists from the start of the bootstrap (so any service
 * can inject it) and is filled exactly once, after every handler is constructed; from then on it
 * never changes. The only per-message lookup in the framework is the route string in here.
 */
export class RouteTable {
  private readonly handlerIndex = new Map<string, RouteEntry>();
  private readonly remoteIndex = new Map<string, RouteEntry>();
  private handlerList: readonly RouteEntry[] = [];
  private remoteList: readonly RouteEntry[] = [];
  private pushList: readonly PushEntry[] = [];
  private installed = false;

  constructor(
    /** Route compression dictionary announced in the handshake. */
    readonly dictionary: RouteDictionary = new RouteDictionary(),
  ) {}

  /** Fills the table; called once by the bootstrap. */
  install(handlers: readonly RouteEntry[], remotes: readonly RouteEntry[], pushes: readonly PushEntry[] = []): void {
    if (this.installed) throw new Error('the route table is already installed');
    this.installed = true;
    this.pushList = Object.freeze([...pushes]);
    this.handlerList = Object.freeze([...handlers]);
    this.remoteList = Object.freeze([...remotes]);
    for (const entry of handlers) {
      // Clients may omit the server type (Pitaya gives 2-part routes the local type).
      this.handlerIndex.set(entry.route, entry);
      this.handlerIndex.set(`${entry.service}.${entry.method}`, entry);
    }
    for (const entry of remotes) {
      // Pitaya looks remotes up by `service.method` whatever type the caller wrote.
      this.remoteIndex.set(`${entry.service}.${entry.method}`, entry);
    }
  }

  get handlers(): readonly RouteEntry[] {
    return this.handlerList;
  }

  get remotes(): readonly RouteEntry[] {
    return this.remoteList;
  }

  /** Declared push routes (`@Handler({ pushes })` or a contract's pushes). */
  get pushes(): readonly PushEntry[] {
    return this.pushList;
  }

  /** The handler for a client route (`type.service.method` of this server, or `service.method`). */
  handler(route: string): RouteEntry | undefined {
    return this.handlerIndex.get(route);
  }

  /** The remote for `service.method`. */
  remote(serviceAndMethod: string): RouteEntry | undefined {
    return this.remoteIndex.get(serviceAndMethod);
  }
}
