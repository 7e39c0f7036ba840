import { injectable } from 'inversify';
import { BootstrapError } from '../errors/bootstrap-error';
import { MetaKey } from './metadata-keys';
import type { ServiceOptions } from './options';

function serviceDecorator(key: string, label: string, nameOrOptions: string | ServiceOptions | undefined): ClassDecorator {
  const options: ServiceOptions = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : { ...nameOrOptions };
  return (target) => {
    if (Reflect.hasOwnMetadata(key, target)) {
      throw new BootstrapError('DECORATOR_TWICE', `@${label} is applied twice on ${target.name}`);
    }
    Reflect.defineMetadata(key, Object.freeze(options), target);
    // inversify only reads design:paramtypes of @injectable classes; a route class must be constructible.
    injectable('Singleton')(target);
  };
}

/**
 * Marks a class whose methods are client routes `serverType.service.method`. Methods are
 * requests unless decorated with `@Notify()`; `@Route()` renames or types one, `@Ignore()` hides it.
 *
 * @example
 * ```ts
 * @Handler('room')
 * class RoomHandler {
 *   constructor(private readonly groups: Groups) {}
 *   async join(ctx: Context, body: JoinRequest): Promise<JoinResponse> { ... }
 * }
 * ```
 */
export function Handler(nameOrOptions?: string | ServiceOptions): ClassDecorator {
  return serviceDecorator(MetaKey.Handler, 'Handler', nameOrOptions);
}

/** Marks a class whose methods are server-to-server routes, called with `RpcClient.call()`. */
export function Remote(nameOrOptions?: string | ServiceOptions): ClassDecorator {
  return serviceDecorator(MetaKey.Remote, 'Remote', nameOrOptions);
}

/** Marks a class as a service the container can construct (constructor dependencies by type). */
export function Injectable(): ClassDecorator {
  return (target) => injectable('Singleton')(target);
}
