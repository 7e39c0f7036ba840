import { MetaKey } from '../decorators/metadata-keys';
import { BootstrapError } from '../errors/bootstrap-error';
import type { DynamicModule, ModuleExport, ModuleImport, ModuleMetadata, Provider, ServiceIdentifier, Type } from './types';

/** One module of the tree, as scanned: what it declares and what it shows to its importers. */
export interface ScannedModule {
  /** Class name, `(dynamic)` for a `forRoot()` result. */
  readonly name: string;
  /** Its exports are visible everywhere. */
  readonly global: boolean;
  /** Directly imported modules. */
  readonly imports: readonly ScannedModule[];
  readonly providers: readonly Provider[];
  readonly handlers: readonly Type[];
  readonly remotes: readonly Type[];
  readonly pipelines: readonly Type[];
  readonly guards: readonly Type[];
  readonly filters: readonly Type[];
  /** Tokens importers may inject: its exported tokens plus everything re-exported modules export. */
  readonly exported: ReadonlySet<ServiceIdentifier>;
}

/** Everything the module tree declares, in scan order (imports before importers). */
export interface ScannedApplication {
  readonly modules: readonly string[];
  /** The modules themselves, in scan order; the root is last. */
  readonly tree: readonly ScannedModule[];
  readonly handlers: readonly Type[];
  readonly remotes: readonly Type[];
  readonly pipelines: readonly Type[];
  readonly guards: readonly Type[];
  readonly filters: readonly Type[];
  readonly providers: readonly Provider[];
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && typeof (value as DynamicModule).module === 'function';
}

function describe(entry: ModuleImport): string {
  return isDynamicModule(entry) ? `${entry.module.name} (dynamic)` : (entry as Type).name;
}

function moduleClass(entry: ModuleImport): Type {
  return isDynamicModule(entry) ? entry.module : (entry as Type);
}

/** The token a provider binds. */
function tokenOf(provider: Provider): ServiceIdentifier {
  return typeof provider === 'function' ? provider : provider.provide;
}

function merged(entry: ModuleImport): ModuleMetadata {
  if (isDynamicModule(entry)) {
    const declared = Reflect.getOwnMetadata(MetaKey.Module, entry.module) as ModuleMetadata | undefined;
    const both = <K extends Exclude<keyof ModuleMetadata, 'global'>>(key: K): NonNullable<ModuleMetadata[K]> =>
      [...((declared?.[key] as unknown[] | undefined) ?? []), ...((entry[key] as unknown[] | undefined) ?? [])] as unknown as NonNullable<ModuleMetadata[K]>;
    return {
      imports: both('imports'), handlers: both('handlers'), remotes: both('remotes'), pipelines: both('pipelines'),
      providers: both('providers'), exports: both('exports'), guards: both('guards'), filters: both('filters'),
      global: entry.global ?? declared?.global ?? Reflect.getOwnMetadata(MetaKey.Global, entry.module) === true,
    };
  }
  const declared = typeof entry === 'function' ? (Reflect.getOwnMetadata(MetaKey.Module, entry) as ModuleMetadata | undefined) : undefined;
  if (!declared) {
    throw new BootstrapError('NOT_A_MODULE', `${describe(entry)} is imported as a module but has no @Module() decorator`);
  }
  return { ...declared, global: declared.global ?? Reflect.getOwnMetadata(MetaKey.Global, entry) === true };
}

/**
 * Walks the `@Module` tree from the root: imports first, each module once, cycles refused. The only
 * reader of module metadata. Also works out each module's exports, so that {@link checkVisibility}
 * can refuse an injection the module tree does not allow.
 */
export function scanModules(root: ModuleImport): ScannedApplication {
  const tree: ScannedModule[] = [];
  const done = new Map<unknown, ScannedModule>();
  const path: ModuleImport[] = [];

  const visit = (entry: ModuleImport): ScannedModule => {
    if (entry === undefined || entry === null) {
      const parent = path.length > 0 ? describe(path[path.length - 1]!) : 'the root';
      throw new BootstrapError('NOT_A_MODULE', `${parent} imports undefined (a circular file import?)`);
    }
    const previous = done.get(entry);
    if (previous) return previous;
    if (path.includes(entry)) {
      throw new BootstrapError('MODULE_CYCLE', `Module import cycle: ${[...path, entry].map(describe).join(' -> ')}`);
    }
    const metadata = merged(entry);
    path.push(entry);
    const imports = (metadata.imports ?? []).map(visit);
    path.pop();
    const providers = metadata.providers ?? [];
    const scanned: ScannedModule = {
      name: describe(entry),
      global: metadata.global === true,
      imports,
      providers,
      handlers: metadata.handlers ?? [],
      remotes: metadata.remotes ?? [],
      pipelines: metadata.pipelines ?? [],
      guards: metadata.guards ?? [],
      filters: metadata.filters ?? [],
      exported: exportedTokens(describe(entry), metadata.exports ?? [], providers, metadata.imports ?? [], imports),
    };
    done.set(entry, scanned);
    tree.push(scanned);
    return scanned;
  };

  visit(root);
  const all = <K extends 'handlers' | 'remotes' | 'pipelines' | 'guards' | 'filters'>(key: K): Type[] => unique(tree.flatMap((m) => m[key]));
  return {
    modules: tree.map((m) => m.name),
    tree,
    handlers: all('handlers'),
    remotes: all('remotes'),
    pipelines: all('pipelines'),
    guards: all('guards'),
    filters: all('filters'),
    providers: tree.flatMap((m) => m.providers),
  };
}

function exportedTokens(
  owner: string, exports: readonly ModuleExport[], providers: readonly Provider[], importEntries: readonly ModuleImport[], imports: readonly ScannedModule[],
): ReadonlySet<ServiceIdentifier> {
  const own = new Set(providers.map(tokenOf));
  const out = new Set<ServiceIdentifier>();
  for (const entry of exports) {
    // A re-exported module may be named by its class even when imported as `X.forRoot()`.
    const index = importEntries.findIndex((i) => i === entry || (typeof entry === 'function' && isDynamicModule(i) && i.module === entry));
    if (index >= 0) {
      for (const token of imports[index]!.exported) out.add(token);
      continue;
    }
    if (own.has(entry as ServiceIdentifier)) {
      out.add(entry as ServiceIdentifier);
      continue;
    }
    const isModule = isDynamicModule(entry) || (typeof entry === 'function' && Reflect.hasOwnMetadata(MetaKey.Module, entry));
    throw new BootstrapError(
      'INVALID_EXPORT',
      isModule
        ? `${owner} exports the module ${describe(entry as ModuleImport)} without importing it`
        : `${owner} exports ${tokenLabel(entry as ServiceIdentifier)}, which is not among its providers`,
    );
  }
  return out;
}

/** A readable name for a token. */
export function tokenLabel(token: ServiceIdentifier | undefined): string {
  if (typeof token === 'function') return token.name || 'anonymous class';
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return String(token);
}

/** What one class or factory of a module asks the container for. */
export interface Injection {
  /** `RoomHandler: constructor parameter #0`, `provider FOO: factory argument #1`. */
  readonly consumer: string;
  readonly token: ServiceIdentifier;
  readonly optional: boolean;
}

/**
 * Checks the module encapsulation rule: a module may inject its own providers, the exports of the
 * modules it imports, the exports of global modules, and the framework's tokens. Anything else
 * fails start-up with an error naming the consumer, the token, the module that provides it and the
 * fix. (There is one container, hence one instance per token; the rule decides who may see it.)
 */
export function checkVisibility(
  app: ScannedApplication,
  frameworkTokens: ReadonlySet<ServiceIdentifier>,
  injectionsOf: (module: ScannedModule) => readonly Injection[],
): void {
  const globals = new Set<ServiceIdentifier>();
  for (const module of app.tree) if (module.global) for (const token of module.exported) globals.add(token);
  const providers = new Map<ServiceIdentifier, ScannedModule[]>();
  for (const module of app.tree) {
    for (const provider of module.providers) {
      const token = tokenOf(provider);
      providers.set(token, [...(providers.get(token) ?? []), module]);
    }
  }
  for (const module of app.tree) {
    const visible = new Set<ServiceIdentifier>(module.providers.map(tokenOf));
    for (const imported of module.imports) for (const token of imported.exported) visible.add(token);
    for (const cls of [...module.handlers, ...module.remotes, ...module.pipelines, ...module.guards, ...module.filters]) visible.add(cls);
    for (const { consumer, token, optional } of injectionsOf(module)) {
      if (visible.has(token) || globals.has(token) || frameworkTokens.has(token)) continue;
      const owners = providers.get(token);
      if (!owners) {
        if (optional) continue;
        throw new BootstrapError(
          'MISSING_PROVIDER',
          `${consumer} needs ${tokenLabel(token)}, which no module provides. Add it to the providers of a module, or mark the parameter @Optional().`,
        );
      }
      const owner = owners[0]!;
      const exporting = owners.find((m) => m.exported.has(token));
      const fix = exporting
        ? `${exporting.name} exports it: add ${exporting.name} to the imports of ${module.name}`
        : `${owner.name} provides it but does not export it: add it to the exports of ${owner.name} and import ${owner.name} in ${module.name}`;
      throw new BootstrapError('PROVIDER_NOT_VISIBLE', `${consumer} (module ${module.name}) cannot inject ${tokenLabel(token)}: ${fix}.`);
    }
  }
}

/** The module class of an import entry. */
export { moduleClass };

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
