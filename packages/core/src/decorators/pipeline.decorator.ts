import { injectable } from 'inversify';
import { BootstrapError } from '../errors/bootstrap-error';
import { MetaKey } from './metadata-keys';
import type { PipelineOptions } from './options';

/**
 * Marks a middleware class. It implements `before(ctx, body)` (runs before the handler and returns
 * the body to pass on; throwing stops the chain and answers the error), `after(ctx, outcome)` (runs
 * after the handler, sees and may replace the result or error), or both.
 */
export function Pipeline(options: PipelineOptions = {}): ClassDecorator {
  return (target) => {
    if (Reflect.hasOwnMetadata(MetaKey.Pipeline, target)) {
      throw new BootstrapError('DECORATOR_TWICE', `@Pipeline is applied twice on ${target.name}`);
    }
    Reflect.defineMetadata(MetaKey.Pipeline, Object.freeze({ ...options }), target);
    injectable('Singleton')(target);
  };
}
