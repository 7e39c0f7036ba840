import type { SchemaOutput, StandardSchemaV1 } from '@pitaya-ts/protocol';
import type { Context } from '../context/context';
import { BootstrapError } from '../errors/bootstrap-error';
import type { Type } from '../container/types';
import { MetaKey } from './metadata-keys';
import type { RouteOptions } from './options';

function routeDecorator(options: RouteOptions): MethodDecorator {
  return (target, propertyKey) => {
    const previous = Reflect.getOwnMetadata(MetaKey.Route, target, propertyKey) as RouteOptions | undefined;
    Reflect.defineMetadata(MetaKey.Route, Object.freeze({ ...previous, ...options }), target, propertyKey);
  };
}

/**
 * A method decorator that also type-checks the method against the route's schemas: the body
 * parameter must accept what the `request` schema produces and the method must return what the
 * `response` schema describes. Without schemas any method fits.
 */
export type RouteDecorator<O extends RouteOptions> = <M extends RouteMethod<O>>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * The method shape a route with options `O` requires. With a `request` schema the body — the second
 * parameter, or the first when parameters are decorated (`@Body()` first) — must accept the schema's
 * output; with a `response` schema the method must return it. Without schemas any method fits.
 */
export type RouteMethod<O extends RouteOptions> = O extends { readonly request: StandardSchemaV1 }
  ?
    | ((ctx: Context, body: SchemaOutput<O['request']>, ...rest: never[]) => RouteResult<O>)
    | ((body: SchemaOutput<O['request']>, ...rest: never[]) => RouteResult<O>)
  : (...args: never[]) => RouteResult<O>;

type RouteResult<O extends RouteOptions> = O extends { readonly response: StandardSchemaV1 } ? RouteReturn<SchemaOutput<O['response']>> : unknown;

type RouteReturn<T> = T | PromiseLike<T>;

/**
 * Makes a method a route: client routes on a `@Handler`, server-to-server routes on a `@Remote`.
 * Only decorated methods (and the routes of a `@Handler(contract)`) are routes; other methods,
 * inherited ones included, can never be reached by a client. `@Route('enter')` exposes `join()` as
 * `…room.enter`; `@Route({ request: JoinRequest, response: JoinReply })` validates the body and types
 * the method.
 */
export function Route<const O extends RouteOptions = {}>(nameOrOptions?: string | O): RouteDecorator<O> {
  return routeDecorator(typeof nameOrOptions === 'string' ? { name: nameOrOptions } : { ...nameOrOptions }) as RouteDecorator<O>;
}

/** Makes a method a notify route: no reply is sent, and a request to it answers PIT-400. */
export function Notify<const O extends Omit<RouteOptions, 'notify' | 'response'> = {}>(options?: O): RouteDecorator<O> {
  return routeDecorator({ ...options, notify: true }) as RouteDecorator<O>;
}

/** Keeps a method out of the route table, e.g. a route inherited from a base class. */
export function Ignore(): MethodDecorator {
  return routeDecorator({ ignore: true });
}

/**
 * Applies pipeline classes to every route of a class or to one method, after the module-wide
 * pipelines. The classes need `@Pipeline()` and are bound by the bootstrap.
 */
export function UsePipelines(...pipelines: Type[]): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    for (const p of pipelines) {
      if (typeof p !== 'function') {
        throw new BootstrapError('INVALID_PIPELINE', `@UsePipelines got ${String(p)}, expected a @Pipeline class`);
      }
    }
    if (propertyKey === undefined) {
      const list = (Reflect.getOwnMetadata(MetaKey.UsePipelines, target) as Type[] | undefined) ?? [];
      Reflect.defineMetadata(MetaKey.UsePipelines, [...list, ...pipelines], target);
    } else {
      const list = (Reflect.getOwnMetadata(MetaKey.UsePipelines, target, propertyKey) as Type[] | undefined) ?? [];
      Reflect.defineMetadata(MetaKey.UsePipelines, [...list, ...pipelines], target, propertyKey);
    }
  };
}
