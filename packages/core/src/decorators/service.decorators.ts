import { isServiceContract, type ServiceContract } from '@pitaya-ts/protocol';
import { injectable } from 'inversify';
import { BootstrapError } from '../errors/bootstrap-error';
import { MetaKey } from './metadata-keys';
import type { ServiceOptions } from './options';

function serviceDecorator(key: string, label: string, nameOrOptions: string | ServiceOptions | ServiceContract | undefined): ClassDecorator {
  const options: ServiceOptions = typeof nameOrOptions === 'string'
    ? { name: nameOrOptions }
    : isServiceContract(nameOrOptions) ? { name: nameOrOptions.name, contract: nameOrOptions } : { ...nameOrOptions };
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
 * Marks a class whose routes are client routes `serverType.service.method`. Routes are opt-in: the
 * methods decorated with `@Route()` (requests) or `@Notify()` (notifies), or, with
 * `@Handler(contract)`, the routes a `defineService` contract declares. Other methods are never routes.
 *
 * @example
 * ```ts
 * @Handler('room')
 * class RoomHandler {
 *   constructor(private readonly groups: Groups) {}
 *   @Route({ request: JoinRequest, response: JoinResponse })
 *   async join(ctx: Context, body: JoinRequest): Promise<JoinResponse> { ... }
 * }
 * ```
 */
export function Handler(nameOrOptions?: string | ServiceOptions | ServiceContract): ClassDecorator {
  return serviceDecorator(MetaKey.Handler, 'Handler', nameOrOptions);
}

/**
 * Marks a class whose `@Route()`/`@Notify()` methods (or contract routes) are server-to-server routes,
 * called with `RpcClient.call()`. A route's `request` schema validates what arrives over RPC too.
 */
export function Remote(nameOrOptions?: string | ServiceOptions | ServiceContract): ClassDecorator {
  return serviceDecorator(MetaKey.Remote, 'Remote', nameOrOptions);
}

/** Marks a class as a service the container can construct (constructor dependencies by type). */
export function Injectable(): ClassDecorator {
  return (target) => injectable('Singleton')(target);
}
