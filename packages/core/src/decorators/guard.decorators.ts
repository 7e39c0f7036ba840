import { injectable } from 'inversify';
import type { Type } from '../container/types';
import { BootstrapError } from '../errors/bootstrap-error';
import { MetaKey } from './metadata-keys';
import type { PipelineTarget } from './options';

/** Options of `@Guard`. */
export interface GuardOptions {
  /** Error code answered when `canActivate` returns false. Default `PIT-403`. */
  readonly code?: string;
  /** Error message answered when `canActivate` returns false. Default `forbidden`. */
  readonly message?: string;
  /** Default `['handlers']`: client routes (also when forwarded to a backend). */
  readonly appliesTo?: readonly PipelineTarget[];
}

/**
 * Marks a guard class: `canActivate(ctx)` decides whether a route may run, before its body is even
 * decoded (so refusing costs no parsing). Returning `false` answers the guard's `code`/`message`;
 * throwing a `PitayaError` answers that error. Apply it with `@UseGuards` on a handler class or
 * method, or to the whole application with a module's `guards`.
 */
export function Guard(options: GuardOptions = {}): ClassDecorator {
  return (target) => {
    if (Reflect.hasOwnMetadata(MetaKey.Guard, target)) throw new BootstrapError('DECORATOR_TWICE', `@Guard is applied twice on ${target.name}`);
    Reflect.defineMetadata(MetaKey.Guard, Object.freeze({ ...options }), target);
    injectable('Singleton')(target);
  };
}

/**
 * Marks an exception filter and the error classes it handles (none: every error). Its
 * `catch(error, ctx)` returns (or throws) the error to answer, typically a `PitayaError` with an
 * application code; it replaces scattered try/catch blocks with one mapping.
 */
export function Catch(...errors: Type[]): ClassDecorator {
  return (target) => {
    if (Reflect.hasOwnMetadata(MetaKey.Catch, target)) throw new BootstrapError('DECORATOR_TWICE', `@Catch is applied twice on ${target.name}`);
    Reflect.defineMetadata(MetaKey.Catch, Object.freeze([...errors]), target);
    injectable('Singleton')(target);
  };
}

function listDecorator(key: string, label: string, classes: readonly Type[]): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    for (const c of classes) {
      if (typeof c !== 'function') throw new BootstrapError('INVALID_PROVIDER', `@${label} got ${String(c)}, expected a class`);
    }
    const list = (propertyKey === undefined ? Reflect.getOwnMetadata(key, target) : Reflect.getOwnMetadata(key, target, propertyKey)) as Type[] | undefined;
    if (propertyKey === undefined) Reflect.defineMetadata(key, [...(list ?? []), ...classes], target);
    else Reflect.defineMetadata(key, [...(list ?? []), ...classes], target, propertyKey);
  };
}

/** Applies `@Guard` classes to every route of a class or to one method, after the application-wide guards. */
export function UseGuards(...guards: Type[]): ClassDecorator & MethodDecorator {
  return listDecorator(MetaKey.UseGuards, 'UseGuards', guards);
}

/** Applies `@Catch` filters to every route of a class or to one method; the most specific (method) is tried first. */
export function UseFilters(...filters: Type[]): ClassDecorator & MethodDecorator {
  return listDecorator(MetaKey.UseFilters, 'UseFilters', filters);
}

/** Where a decorated route parameter comes from. */
export type ParamSource = 'body' | 'session' | 'uid' | 'context';

function param(source: ParamSource): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) throw new BootstrapError('INVALID_PARAMETER', `@${source} decorates a route method parameter, not a constructor parameter`);
    const list = (Reflect.getOwnMetadata(MetaKey.Params, target, propertyKey) as { index: number; source: ParamSource }[] | undefined) ?? [];
    Reflect.defineMetadata(MetaKey.Params, [...list, { index, source }], target, propertyKey);
  };
}

/** The decoded body (or the raw bytes when the parameter is typed `Uint8Array`/`Buffer`). */
export const Body = (): ParameterDecorator => param('body');
/** The client's session (exported as `Session`, beside the `Session` interface). */
export const SessionParam = (): ParameterDecorator => param('session');
/** The uid bound to the session (`undefined` before `bind`). */
export const Uid = (): ParameterDecorator => param('uid');
/** The whole per-message {@link Context}. */
export const Ctx = (): ParameterDecorator => param('context');
