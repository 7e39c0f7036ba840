import { Container } from 'inversify';
import { INJECT_TOKENS_KEY, type ParameterInjection } from '../decorators/inject.decorators';
import { BootstrapError } from '../errors/bootstrap-error';
import type { ClassProvider, ExistingProvider, FactoryProvider, Provider, ServiceIdentifier, Type, ValueProvider } from './types';

/** Types TypeScript emits for parameters it cannot describe at run time (interfaces, primitives, type imports). */
const OPAQUE_TYPES = new Set<unknown>([undefined, Object, Function, String, Number, Boolean, Symbol, BigInt, Array, Promise]);

export function tokenName(token: ServiceIdentifier | undefined): string {
  if (typeof token === 'function') return token.name || 'anonymous class';
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return String(token);
}

/** The token a provider binds. */
export function providerToken(provider: Provider): ServiceIdentifier {
  return typeof provider === 'function' ? provider : provider.provide;
}

/**
 * Binds providers. A token bound earlier (a framework default, or an imported module's provider) is
 * replaced, so the importing module, and the application last of all, has the final word.
 */
export function bindProviders(container: Container, providers: readonly Provider[]): void {
  for (const provider of providers) {
    const token = providerToken(provider);
    if (token === undefined || token === null) {
      throw new BootstrapError('INVALID_PROVIDER', `A provider has no token: ${describeProvider(provider)}`);
    }
    if (container.isBound(token)) container.unbind(token);
    const bind = container.bind(token);
    if (typeof provider === 'function') {
      bind.toSelf().inSingletonScope();
    } else if ('useClass' in provider) {
      const p = provider as ClassProvider;
      const scoped = bind.to(p.useClass);
      if (p.scope === 'Transient') scoped.inTransientScope();
      else if (p.scope === 'Request') scoped.inRequestScope();
      else scoped.inSingletonScope();
    } else if ('useValue' in provider) {
      bind.toConstantValue((provider as ValueProvider).useValue);
    } else if ('useFactory' in provider) {
      const p = provider as FactoryProvider;
      const deps = p.inject ?? [];
      bind
        .toDynamicValue(async (ctx) => {
          const args = await Promise.all(deps.map((d) => ctx.getAsync(d)));
          return (p.useFactory as (...a: unknown[]) => unknown)(...args);
        })
        .inSingletonScope();
    } else if ('useExisting' in provider) {
      bind.toService((provider as ExistingProvider).useExisting);
    } else {
      throw new BootstrapError('INVALID_PROVIDER', `Provider for ${tokenName(token)} has none of useClass, useValue, useFactory, useExisting`);
    }
  }
}

function describeProvider(provider: Provider): string {
  return typeof provider === 'function' ? provider.name : JSON.stringify(Object.keys(provider));
}

function parameterTokens(cls: Type): { index: number; token: ServiceIdentifier | undefined; optional: boolean; explicit: boolean }[] {
  const paramTypes = (Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined) ?? [];
  const injections = (Reflect.getMetadata(INJECT_TOKENS_KEY, cls) as Map<number, ParameterInjection> | undefined) ?? new Map();
  const count = Math.max(paramTypes.length, cls.length);
  const result = [];
  for (let index = 0; index < count; index++) {
    const explicit = injections.get(index);
    result.push({
      index,
      token: explicit?.token ?? (paramTypes[index] as ServiceIdentifier | undefined),
      optional: explicit?.optional === true,
      explicit: explicit?.token !== undefined,
    });
  }
  return result;
}

/**
 * Checks, before anything is bound, that every constructor parameter of `classes` has something to
 * resolve it by: a class type or an `@Inject` token. (inversify would refuse the binding with a
 * message that names neither the parameter nor the fix.)
 */
export function checkParameterTypes(classes: Iterable<Type>): void {
  for (const cls of classes) {
    for (const { index, token, optional, explicit } of parameterTokens(cls)) {
      if (!optional && !explicit && OPAQUE_TYPES.has(token)) {
        throw new BootstrapError(
          'MISSING_PROVIDER',
          `${cls.name}: constructor parameter #${index} has no runtime type (an interface, a primitive, or a class imported with ` +
            '"import type"). Inject it with @Inject(TOKEN), or import the class as a value.',
        );
      }
    }
  }
}

/**
 * Checks that every constructor dependency of `classes` is bound, so a missing provider fails
 * start-up naming the class and the parameter index instead of failing on first use.
 */
export function checkDependenciesBound(container: Container, classes: Iterable<Type>): void {
  for (const cls of classes) {
    for (const { index, token, optional } of parameterTokens(cls)) {
      if (optional || token === undefined || OPAQUE_TYPES.has(token) || container.isBound(token)) continue;
      throw new BootstrapError(
        'MISSING_PROVIDER',
        `${cls.name}: constructor parameter #${index} needs ${tokenName(token)}, which no module provides. ` +
          `Add it to the providers of a module, or mark the parameter @Optional().`,
      );
    }
  }
}

/** Builds a class through the container, turning inversify's failures into a start-up error naming the class. */
export async function resolveOrFail<T>(container: Container, token: ServiceIdentifier<T>): Promise<T> {
  try {
    return await container.getAsync<T>(token);
  } catch (error) {
    if (error instanceof BootstrapError) throw error;
    throw new BootstrapError('PROVIDER_FAILED', `Could not create ${tokenName(token)}: ${(error as Error).message}`, { cause: error });
  }
}
