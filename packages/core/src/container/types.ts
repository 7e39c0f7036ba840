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
  /** Contributes to a multi-provider token instead of binding it (see {@link MultiProvider}). */
  readonly multi?: boolean;
}
/** Binds a token to a ready value. */
export interface ValueProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useValue: T;
  /** Contributes to a multi-provider token instead of binding it (see {@link MultiProvider}). */
  readonly multi?: boolean;
}
/** Binds a token to the (possibly async) result of a factory whose arguments are `inject`ed. */
export interface FactoryProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useFactory: (...deps: never[]) => T | Promise<T>;
  readonly inject?: readonly ServiceIdentifier[];
  /** Contributes to a multi-provider token instead of binding it (see {@link MultiProvider}). */
  readonly multi?: boolean;
}
/** Makes a token an alias of another. */
export interface ExistingProvider<T = unknown> {
  readonly provide: ServiceIdentifier<T>;
  readonly useExisting: ServiceIdentifier<T>;
  /** Contributes to a multi-provider token instead of binding it (see {@link MultiProvider}). */
  readonly multi?: boolean;
}

/**
 * A provider with `multi: true` adds one value to a list instead of binding the token: every module
 * may contribute, and injecting the token gives the array of all contributions in scan order
 * (imported modules first). The framework reads {@link HANDSHAKE_VALIDATORS}, {@link ACCEPTORS} and
 * {@link SERIALIZERS} this way, so a module can bring its own handshake checks, listeners or formats.
 */
export type MultiProvider<T = unknown> = (ClassProvider<T> | ValueProvider<T> | FactoryProvider<T> | ExistingProvider<T>) & { readonly multi: true };

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
  /** Services for injection. Visible inside this module, and to importers when listed in `exports`. */
  readonly providers?: readonly Provider[];
  /**
   * What importing modules may inject: tokens of this module's providers, and imported modules
   * (re-exported: their exports become this module's). Everything else stays private.
   */
  readonly exports?: readonly ModuleExport[];
  /** Exports visible to every module without importing this one (`@Global()` does the same). */
  readonly global?: boolean;
  /** `@Guard` classes run before every handler route of the application (before the body is decoded). */
  readonly guards?: readonly Type[];
  /** `@Catch` exception filters applied to every route of the application. */
  readonly filters?: readonly Type[];
}

/** An entry of `exports`: a provider's token, or an imported module to re-export. */
export type ModuleExport = ServiceIdentifier | ModuleImport;

/** A module configured at import time, e.g. `ClusterModule.forRoot(options)`. */
export interface DynamicModule extends ModuleMetadata {
  readonly module: Type;
}

/**
 * Options of a `forRootAsync()`: the module's options come from a factory whose arguments are
 * injected (`inject`), from the modules listed in `imports`.
 */
export interface AsyncModuleOptions<T> {
  /** Modules exporting what `inject` names (e.g. a config module). */
  readonly imports?: readonly ModuleImport[];
  /** Tokens whose values are passed to `useFactory`, in order. */
  readonly inject?: readonly ServiceIdentifier[];
  /** Builds the options; may be async. */
  readonly useFactory: (...deps: never[]) => T | Promise<T>;
}

export type ModuleImport = Type | DynamicModule;
