import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CliError, oneLine } from '../errors';
import { className, elementSource, elementTest, MODULE_KEY, type ElementKind } from './element-templates';
import { addToModule } from './module-editor';
import { namesOf } from './names';
import type { ProjectConfig } from './project-templates';

/** Options of `pitaya-ts generate`. */
export interface GenerateOptions {
  /** Project root (default: the nearest directory with a pitaya-ts.json or package.json, from the cwd). */
  readonly project?: string;
  /** The module file to add the class to, relative to the project (default: pitaya-ts.json's `module`). */
  readonly module?: string;
  /** Print the changes without writing anything. */
  readonly dryRun?: boolean;
  /** Write no test. */
  readonly skipTest?: boolean;
}

/** What generate did (or would do). */
export interface GenerateResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  /** Set when the module could not be edited safely: what to add by hand. */
  readonly manual?: string;
}

export const ELEMENT_KINDS: readonly ElementKind[] = ['handler', 'remote', 'pipeline', 'module'];

/**
 * Writes a handler, remote, pipeline or module and its test in the project's layout
 * (`src/<name>/<name>.<kind>.ts`, `test/<name>.<kind>.test.ts`) and lists it in the project's
 * module, editing that file in place.
 */
export function generate(kindArg: string, name: string, options: GenerateOptions, print: (line: string) => void): GenerateResult {
  if (!(ELEMENT_KINDS as readonly string[]).includes(kindArg)) {
    throw new CliError(`unknown element "${kindArg}": generate one of ${ELEMENT_KINDS.join(', ')}`);
  }
  const kind = kindArg as ElementKind;
  // `g handler inventory-handler` means the inventory handler, not InventoryHandlerHandler.
  const names = namesOf(name.replace(new RegExp(`(?<=.)[-_]?${kind}$`, 'i'), ''), kind);
  const root = options.project ? resolve(options.project) : findProjectRoot(process.cwd());
  const config = readConfig(root);
  const cls = className(kind, names);

  const file = join(root, config.sourceRoot, names.kebab, `${names.kebab}.${kind}.ts`);
  const testFile = join(root, config.testRoot, `${names.kebab}.${kind}.test.ts`);
  const writes: { path: string; text: string; created: boolean }[] = [];
  for (const f of options.skipTest ? [file] : [file, testFile]) {
    if (existsSync(f)) throw new CliError(`${relative(root, f)} already exists: choose another name or delete it first`);
  }
  writes.push({ path: file, text: elementSource(kind, names), created: true });
  if (!options.skipTest) writes.push({ path: testFile, text: elementTest(kind, names, importPath(testFile, file)), created: true });

  const moduleFile = join(root, options.module ?? config.module);
  let manual: string | undefined;
  let moduleChanges: readonly string[] = [];
  // A new module's own file is not where it gets listed; a class is never added to itself.
  if (!existsSync(moduleFile)) {
    manual = `${relative(root, moduleFile)} does not exist`;
  } else {
    const source = readFileSync(moduleFile, 'utf8');
    const edit = addToModule(source, MODULE_KEY[kind], cls, importPath(moduleFile, file));
    if (edit.ok) {
      writes.push({ path: moduleFile, text: edit.text, created: false });
      moduleChanges = edit.changes;
    } else {
      manual = edit.reason;
    }
  }
  const manualText = manual === undefined
    ? undefined
    : `could not edit ${relative(root, moduleFile)} safely (${manual}); add by hand: import { ${cls} } from '${importPath(moduleFile, file)}'; and list ${cls} in its @Module ${MODULE_KEY[kind]}`;

  for (const w of writes) {
    const rel = relative(root, w.path).split(sep).join('/');
    if (options.dryRun) {
      if (w.created) {
        print(`CREATE ${rel}`);
        for (const line of w.text.trimEnd().split('\n')) print(`  | ${line}`);
      } else {
        print(`UPDATE ${rel}`);
        for (const change of moduleChanges) print(`  + ${change}`);
      }
      continue;
    }
    try {
      mkdirSync(dirname(w.path), { recursive: true });
      writeFileSync(w.path, w.text);
    } catch (error) {
      throw new CliError(`cannot write ${rel}: ${oneLine(error)}`);
    }
    print(`${w.created ? 'CREATE' : 'UPDATE'} ${rel}`);
  }
  if (manualText) print(manualText);
  if (options.dryRun) print('dry run: nothing was written');
  return {
    created: writes.filter((w) => w.created).map((w) => relative(root, w.path)),
    updated: writes.filter((w) => !w.created).map((w) => relative(root, w.path)),
    manual: manualText,
  };
}

function findProjectRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pitaya-ts.json')) || existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new CliError('not inside a project (no pitaya-ts.json or package.json here or above): cd into one or pass --project <dir>');
  }
}

function readConfig(root: string): ProjectConfig {
  const defaults: ProjectConfig = { sourceRoot: 'src', testRoot: 'test', module: 'src/app.module.ts' };
  const file = join(root, 'pitaya-ts.json');
  if (!existsSync(file)) return defaults;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProjectConfig>;
    const pick = (v: unknown, d: string): string => (typeof v === 'string' && v !== '' ? v : d);
    return { sourceRoot: pick(parsed.sourceRoot, defaults.sourceRoot), testRoot: pick(parsed.testRoot, defaults.testRoot), module: pick(parsed.module, defaults.module) };
  } catch (error) {
    throw new CliError(`pitaya-ts.json is not valid JSON (${oneLine(error)}): fix it or delete it`);
  }
}

/** `./x/x.handler` as written in an import from `fromFile` of `toFile` (no extension). */
function importPath(fromFile: string, toFile: string): string {
  const rel = relative(dirname(fromFile), toFile).split(sep).join('/').replace(/\.ts$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
