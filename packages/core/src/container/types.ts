import type { ServiceIdentifier } from 'inversify';

export type { ServiceIdentifier };

/** A class the container can construct. Constructor arguments are resolved by type or token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor arguments are checked by the container
export type Type<T = unknown> = new (...args: any[]) => T;

/** Binds a token to a class (singleton unless `scope` says otherwise). */
export interface ClassProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useClass: Type<T>;
  readonly scope?: 'Singleton' | 'Transient' | 'Request';
}
/** Binds a token to a ready value. */
export interface ValueProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useValue: T;
}
/** Binds a token to the (possibly async) result of a factory whose arguments are `inject`ed. */
export interface FactoryProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useFactory: (...deps: never[]) => T | Promise<T>;
  readonly inject?: readonly ServiceIdentifier[];
}
/** Makes a token an alias of another. */
export interface ExistingProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useExisting: ServiceIdentifier<T>;
}

/** What a module can list in `providers`: a class (bound to itself) or a provider object. */
export type Provider<T = unknown> = Type<T> | ClassProvider<T> | ValueProvider<T> | FactoryProvider<T> | ExistingProvider<T>;

/** The contents of a `@Module`. */
export interface ModuleMetadata {
  /** Modules whose handlers, remotes, pipelines and providers join this application. Scanned first. */
  readonly imports?: readonly ModuleImport[];
  /** `@Handler` classes: client-facing routes. */
  readonly handlers?: readonly Type[];
  /** `@Remote` classes: server-to-server routes. */
  readonly remotes?: readonly Type[];
  /** `@Pipeline` classes applied to every matching route. */
  readonly pipelines?: readonly Type[];
  /** Services for injection. */
  readonly providers?: readonly Provider[];
}

/** A module configured at import time, e.g. `ClusterModule.forRoot(options)`. */
export interface DynamicModule extends ModuleMetadata {
  readonly module: Type;
}

export type ModuleImport = Type | DynamicModule;
