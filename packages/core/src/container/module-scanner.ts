import { MetaKey } from '../decorators/metadata-keys';
import { BootstrapError } from '../errors/bootstrap-error';
import type { DynamicModule, ModuleImport, ModuleMetadata, Provider, Type } from './types';

/** Everything the module tree declares, in scan order (imports before importers). */
export interface ScannedApplication {
  readonly modules: readonly string[];
  readonly handlers: readonly Type[];
  readonly remotes: readonly Type[];
  readonly pipelines: readonly Type[];
  readonly providers: readonly Provider[];
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && typeof (value as DynamicModule).module === 'function';
}

function describe(entry: ModuleImport): string {
  return isDynamicModule(entry) ? `${entry.module.name} (dynamic)` : (entry as Type).name;
}

/**
 * Walks the `@Module` tree from the root: imports first, each module once, cycles refused. The only
 * reader of module metadata.
 */
export function scanModules(root: ModuleImport): ScannedApplication {
  const modules: string[] = [];
  const handlers: Type[] = [];
  const remotes: Type[] = [];
  const pipelines: Type[] = [];
  const providers: Provider[] = [];
  const done = new Set<unknown>();
  const path: ModuleImport[] = [];

  const visit = (entry: ModuleImport): void => {
    if (entry === undefined || entry === null) {
      const parent = path.length > 0 ? describe(path[path.length - 1]!) : 'the root';
      throw new BootstrapError('NOT_A_MODULE', `${parent} imports undefined (a circular file import?)`);
    }
    const identity = entry;
    if (done.has(identity)) return;
    if (path.includes(entry)) {
      throw new BootstrapError('MODULE_CYCLE', `Module import cycle: ${[...path, entry].map(describe).join(' -> ')}`);
    }
    let metadata: ModuleMetadata;
    if (isDynamicModule(entry)) {
      const declared = Reflect.getOwnMetadata(MetaKey.Module, entry.module) as ModuleMetadata | undefined;
      metadata = {
        imports: [...(declared?.imports ?? []), ...(entry.imports ?? [])],
        handlers: [...(declared?.handlers ?? []), ...(entry.handlers ?? [])],
        remotes: [...(declared?.remotes ?? []), ...(entry.remotes ?? [])],
        pipelines: [...(declared?.pipelines ?? []), ...(entry.pipelines ?? [])],
        providers: [...(declared?.providers ?? []), ...(entry.providers ?? [])],
      };
    } else {
      const declared = typeof entry === 'function' ? (Reflect.getOwnMetadata(MetaKey.Module, entry) as ModuleMetadata | undefined) : undefined;
      if (!declared) {
        throw new BootstrapError('NOT_A_MODULE', `${describe(entry)} is imported as a module but has no @Module() decorator`);
      }
      metadata = declared;
    }
    path.push(entry);
    for (const imported of metadata.imports ?? []) visit(imported);
    path.pop();
    done.add(identity);
    modules.push(describe(entry));
    handlers.push(...(metadata.handlers ?? []));
    remotes.push(...(metadata.remotes ?? []));
    pipelines.push(...(metadata.pipelines ?? []));
    providers.push(...(metadata.providers ?? []));
  };

  visit(root);
  return { modules, handlers: unique(handlers), remotes: unique(remotes), pipelines: unique(pipelines), providers };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
