import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
// npm's own rules for package names (the package npm itself uses), rather than a copy of them.
import validateName from 'validate-npm-package-name';
import { CliError, oneLine } from '../errors';
import { projectFiles, type ProjectSpec } from './project-templates';

/** Options of `pitaya-ts new`. */
export interface NewOptions {
  /** npm package name; default the directory's name. */
  readonly name?: string;
  readonly cluster?: boolean;
  readonly packageManager?: string;
  readonly skipInstall?: boolean;
  /** Write into a non-empty directory (existing files with the same names are overwritten). */
  readonly force?: boolean;
}

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;

/** Creates a project in `dir`; returns the files written (relative paths). */
export function newProject(dir: string, options: NewOptions, print: (line: string) => void): string[] {
  const target = resolve(dir);
  const name = options.name ?? basename(target);
  const check = validateName(name);
  if (!check.validForNewPackages) {
    const why = [...(check.errors ?? []), ...(check.warnings ?? [])].join('; ');
    throw new CliError(`"${name}" is not a valid npm package name (${why}): pass --name <name> or pick another directory name`);
  }
  const pm = options.packageManager ?? 'npm';
  if (!(PACKAGE_MANAGERS as readonly string[]).includes(pm)) {
    throw new CliError(`unknown package manager "${pm}": use ${PACKAGE_MANAGERS.join(', ')}`);
  }
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new CliError(`${dir} exists and is not a directory: choose another path`);
    const entries = readdirSync(target).filter((e) => e !== '.git');
    if (entries.length > 0 && !options.force) {
      throw new CliError(`${dir} is not empty: choose a new directory, or pass --force to write into it`);
    }
  }
  const spec: ProjectSpec = { name, cluster: options.cluster === true, packageManager: pm as ProjectSpec['packageManager'] };
  const files = projectFiles(spec);
  for (const [path, text] of Object.entries(files)) {
    const file = join(target, path);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    } catch (error) {
      throw new CliError(`cannot write ${file}: ${oneLine(error)}`);
    }
    print(`CREATE ${relative(process.cwd(), file) || file}`);
  }

  const shown = relative(process.cwd(), target) || '.';
  if (!options.skipInstall) {
    print(`installing dependencies with ${pm} …`);
    const r = spawnSync(pm, ['install'], { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' });
    if (r.error || r.status !== 0) {
      const why = r.error ? oneLine(r.error) : `exit code ${r.status}`;
      throw new CliError(`the project is written but "${pm} install" failed (${why}): run it yourself in ${shown}`);
    }
  }
  const run = pm === 'npm' ? 'npm run' : pm;
  const start = pm === 'npm' ? 'npm start' : `${pm} start`;
  print('');
  print(`done. Next:`);
  print(`  cd ${shown}`);
  if (options.skipInstall) print(`  ${pm} install`);
  print(`  ${pm} test`);
  if (spec.cluster) {
    print('  # start etcd (localhost:2379), then each server type:');
    print(`  SERVER_TYPE=room ${start}`);
    print(`  SERVER_TYPE=connector ${start}`);
  } else {
    print(`  ${start}`);
  }
  return Object.keys(files);
}
