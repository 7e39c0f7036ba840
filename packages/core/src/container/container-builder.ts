import { Container } from 'inversify';
import { INJECT_TOKENS_KEY, type ParameterInjection } from '../decorators/inject.decorators';
import { BootstrapError } from '../errors/bootstrap-error';
import type { Injection, ScannedModule } from './module-scanner';
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
  const multi = new Map<ServiceIdentifier, Provider[]>();
  for (const provider of providers) {
    const token = providerToken(provider);
    if (typeof provider !== 'function' && provider.multi === true) {
      multi.set(token, [...(multi.get(token) ?? []), provider]);
      continue;
    }
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
  for (const [token, contributions] of multi) bindMulti(container, token, contributions);
}

/**
 * Binds a multi-provider token to the array of its contributions, in declaration order. Each call
 * adds to what an earlier call bound, so framework defaults and every module's contributions end up
 * in one list. A token bound as a plain provider cannot also take contributions.
 */
function bindMulti(container: Container, token: ServiceIdentifier, contributions: readonly Provider[]): void {
  const declared = multiContributions.get(container)?.get(token);
  const previous = declared ?? [];
  if (container.isBound(token) && declared === undefined) {
    throw new BootstrapError('INVALID_PROVIDER', `${tokenName(token)} is bound as a single provider and also given multi: true contributions`);
  }
  const all = [...previous, ...contributions];
  let byToken = multiContributions.get(container);
  if (!byToken) multiContributions.set(container, (byToken = new Map()));
  byToken.set(token, all);
  if (container.isBound(token)) container.unbind(token);
  container
    .bind(token)
    .toDynamicValue(async (ctx) => {
      const values: unknown[] = [];
      for (const provider of all) values.push(await contribution(ctx, provider));
      return values;
    })
    .inSingletonScope();
}

const multiContributions = new WeakMap<Container, Map<ServiceIdentifier, Provider[]>>();

/** Declares a multi-provider token with no contribution yet, so injecting it gives `[]` rather than failing. */
export function declareMultiToken(container: Container, token: ServiceIdentifier): void {
  let byToken = multiContributions.get(container);
  if (!byToken) multiContributions.set(container, (byToken = new Map()));
  if (byToken.has(token)) return;
  byToken.set(token, []);
  container.bind(token).toDynamicValue(() => []).inSingletonScope();
}

async function contribution(ctx: { getAsync<T>(token: ServiceIdentifier<T>): Promise<T> }, provider: Provider): Promise<unknown> {
  if (typeof provider === 'function') return ctx.getAsync(provider);
  if ('useValue' in provider) return provider.useValue;
  if ('useExisting' in provider) return ctx.getAsync(provider.useExisting);
  if ('useFactory' in provider) {
    const args = await Promise.all((provider.inject ?? []).map((d) => ctx.getAsync(d)));
    return (provider.useFactory as (...a: unknown[]) => unknown)(...args);
  }
  if ('useClass' in provider) return ctx.getAsync(provider.useClass);
  throw new BootstrapError('INVALID_PROVIDER', `A multi provider for ${tokenName(providerToken(provider))} has none of useClass, useValue, useFactory, useExisting`);
}

/** Classes a multi `useClass` contribution needs bound to themselves. */
export function multiClasses(providers: readonly Provider[]): Type[] {
  return providers.flatMap((p) => (typeof p !== 'function' && p.multi === true && 'useClass' in p ? [p.useClass] : []));
}

/** What each class and factory of a module injects, for the module visibility check. */
export function injectionsOf(module: ScannedModule): Injection[] {
  const out: Injection[] = [];
  const ofClass = (cls: Type): void => {
    for (const { index, token, optional } of parameterTokens(cls)) {
      if (token === undefined || OPAQUE_TYPES.has(token)) continue;
      out.push({ consumer: `${cls.name}: constructor parameter #${index}`, token, optional });
    }
  };
  for (const provider of module.providers) {
    if (typeof provider === 'function') ofClass(provider);
    else if ('useClass' in provider) ofClass(provider.useClass);
    else if ('useFactory' in provider) {
      (provider.inject ?? []).forEach((token, index) =>
        out.push({ consumer: `the factory of ${tokenName(provider.provide)}: argument #${index}`, token, optional: false }));
    } else if ('useExisting' in provider) {
      out.push({ consumer: `the alias ${tokenName(provider.provide)}`, token: provider.useExisting, optional: false });
    }
  }
  for (const cls of [...module.handlers, ...module.remotes, ...module.pipelines, ...module.guards, ...module.filters]) ofClass(cls);
  return out;
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
export function checkDependenciesBound(container: Container, classes: Iterable<Type>, boundLater: ReadonlySet<ServiceIdentifier> = new Set()): void {
  for (const cls of classes) {
    for (const { index, token, optional } of parameterTokens(cls)) {
      if (optional || token === undefined || OPAQUE_TYPES.has(token) || container.isBound(token) || boundLater.has(token)) continue;
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
