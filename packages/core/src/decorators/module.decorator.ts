import { BootstrapError } from '../errors/bootstrap-error';
import type { ModuleMetadata } from '../container/types';
import { MetaKey } from './metadata-keys';

/**
 * Declares a module: a unit of handlers, remotes, pipelines and providers, NestJS-style. The
 * bootstrap walks the tree from the root module (imports first) once at start-up.
 */
export function Module(metadata: ModuleMetadata): ClassDecorator {
  return (target) => {
    if (Reflect.hasOwnMetadata(MetaKey.Module, target)) {
      throw new BootstrapError('DECORATOR_TWICE', `@Module is applied twice on ${target.name}`);
    }
    Reflect.defineMetadata(MetaKey.Module, Object.freeze({ ...metadata }), target);
  };
}

/**
 * Makes a module's exports visible to every module of the application without importing it, like
 * NestJS's `@Global()`. Meant for infrastructure (configuration, database clients), not for features.
 */
export function Global(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(MetaKey.Global, true, target);
  };
}
