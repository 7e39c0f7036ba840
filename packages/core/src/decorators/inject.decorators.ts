import { inject, optional } from 'inversify';
import type { ServiceIdentifier } from '../container/types';

/** Metadata key of the explicit tokens of constructor parameters (read by the container builder). */
export const INJECT_TOKENS_KEY = 'pitaya:inject-tokens';

/** How one constructor parameter is resolved when not by its declared type. */
export interface ParameterInjection {
  readonly token?: ServiceIdentifier;
  readonly optional?: boolean;
}

function record(target: object, index: number, patch: ParameterInjection): void {
  const current = (Reflect.getOwnMetadata(INJECT_TOKENS_KEY, target) as Map<number, ParameterInjection> | undefined) ?? new Map();
  current.set(index, { ...current.get(index), ...patch });
  Reflect.defineMetadata(INJECT_TOKENS_KEY, current, target);
}

/**
 * Injects the service bound to `token` into a constructor parameter. Needed when the parameter's
 * type is an interface, a type-only import or a primitive, which have no runtime type.
 */
export function Inject(token: ServiceIdentifier): ParameterDecorator {
  return (target, propertyKey, index) => {
    inject(token)(target, propertyKey, index);
    if (propertyKey === undefined) record(target, index, { token });
  };
}

/** Injects `undefined` instead of failing start-up when nothing provides the parameter. */
export function Optional(): ParameterDecorator {
  return (target, propertyKey, index) => {
    optional()(target, propertyKey, index);
    if (propertyKey === undefined) record(target, index, { optional: true });
  };
}
