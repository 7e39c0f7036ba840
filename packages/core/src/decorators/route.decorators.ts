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

/** Renames or types a route method. `@Route('enter')` exposes `join()` as `…room.enter`. */
export function Route(nameOrOptions?: string | RouteOptions): MethodDecorator {
  return routeDecorator(typeof nameOrOptions === 'string' ? { name: nameOrOptions } : { ...nameOrOptions });
}

/** Makes a route a notify: no reply is sent, and a request to it answers PIT-400. */
export function Notify(options: Omit<RouteOptions, 'notify'> = {}): MethodDecorator {
  return routeDecorator({ ...options, notify: true });
}

/** Keeps a public method of a handler or remote out of the route table. */
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
