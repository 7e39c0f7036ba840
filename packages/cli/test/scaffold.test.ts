import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { addToModule, DEPENDENCIES, DEV_DEPENDENCIES, OVERRIDES, runCli } from '@pitaya-ts/cli';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) });
  const code = await runCli(args, { stdout: sink, stderr: sink });
  return { code, out };
}

describe('addToModule', () => {
  it('appends to an existing multi-line list and adds the import after the last one', () => {
    const source = `import { Module } from '@pitaya-ts/core';
import { A } from './a';

// @Module({ handlers: [Fake] }) in a comment is not code
@Module({
  handlers: [
    A,
  ],
})
export class AppModule {}
`;
    const edit = addToModule(source, 'handlers', 'BHandler', './b/b.handler');
    expect(edit).toMatchObject({ ok: true });
    if (!edit.ok) return;
    expect(edit.text).toBe(`import { Module } from '@pitaya-ts/core';
import { A } from './a';
import { BHandler } from './b/b.handler';

// @Module({ handlers: [Fake] }) in a comment is not code
@Module({
  handlers: [
    A,
    BHandler,
  ],
})
export class AppModule {}
`);
  });

  it('adds a missing key, fills an empty list, and leaves strings alone', () => {
    const one = addToModule(`@Module({ handlers: [A], providers: [{ provide: 'x]', useValue: '}' }] })\nclass M {}\n`, 'pipelines', 'P', './p');
    expect(one.ok && one.text).toBe(`import { P } from './p';\n@Module({ pipelines: [P], handlers: [A], providers: [{ provide: 'x]', useValue: '}' }] })\nclass M {}\n`);
    const two = addToModule(`@Module({ remotes: [] })\nclass M {}\n`, 'remotes', 'R', './r');
    expect(two.ok && two.text).toContain('@Module({ remotes: [R] })');
    const three = addToModule(`@Module({})\nclass M {}\n`, 'imports', 'X', './x');
    expect(three.ok && three.text).toContain('@Module({ imports: [X] })');
  });

  it('refuses what it cannot edit safely, saying why', () => {
    expect(addToModule('export class M {}', 'handlers', 'H', './h')).toEqual({ ok: false, reason: 'no @Module( found' });
    expect(addToModule('@Module(metadata) class M {}', 'handlers', 'H', './h')).toEqual({ ok: false, reason: '@Module is not given an object literal' });
    expect(addToModule('@Module({ handlers: list }) class M {}', 'handlers', 'H', './h')).toEqual({ ok: false, reason: '"handlers" is not an array literal' });
    expect(addToModule('@Module({ handlers: [H] }) class M {}', 'handlers', 'H', './h')).toEqual({ ok: false, reason: 'H is already listed in the module' });
    expect(addToModule('@Module({}) class A {}\n@Module({}) class B {}', 'handlers', 'H', './h')).toMatchObject({ ok: false });
  });
});

describe('pitaya-ts new and generate (files only)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pitaya-ts-scaffold-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a non-empty directory unless --force, and names npm would refuse', async () => {
    const target = path.join(dir, 'game');
    mkdirSync(target);
    writeFileSync(path.join(target, 'notes.txt'), 'mine');
    const refused = await cli(['new', target, '--skip-install']);
    expect(refused).toEqual({ code: 1, out: `pitaya-ts: ${target} is not empty: choose a new directory, or pass --force to write into it\n` });
    expect(await cli(['new', target, '--skip-install', '--force'])).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('mine');

    const bad = await cli(['new', path.join(dir, 'My Game'), '--skip-install']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^pitaya-ts: "My Game" is not a valid npm package name \(.+\): pass --name <name> or pick another directory name\n$/);
    expect(await cli(['new', path.join(dir, 'My Game'), '--skip-install', '--name', '@acme/my-game'])).toMatchObject({ code: 0 });
    expect(JSON.parse(readFileSync(path.join(dir, 'My Game', 'package.json'), 'utf8'))).toMatchObject({ name: '@acme/my-game' });

    const pm = await cli(['new', path.join(dir, 'x'), '--package-manager', 'bower']);
    expect(pm).toEqual({ code: 1, out: 'pitaya-ts: unknown package manager "bower": use npm, pnpm, yarn\n' });
  });

  it('a failed install leaves the files and says what to run, in one line', async () => {
    // An empty PATH: the package manager cannot even start, the way a missing pnpm fails.
    const path0 = process.env.PATH;
    process.env.PATH = dir;
    try {
      const r = await cli(['new', path.join(dir, 'inst'), '--package-manager', 'pnpm']);
      expect(r.code).toBe(1);
      expect(r.out.trim().split('\n').pop()).toMatch(/^pitaya-ts: the project is written but "pnpm install" failed \(.*ENOENT.*\): run it yourself in .*inst$/);
      expect(existsSync(path.join(dir, 'inst', 'package.json'))).toBe(true);
    } finally {
      process.env.PATH = path0;
    }
  });

  it('--package-manager shapes the scripts and the overrides', async () => {
    expect(await cli(['new', path.join(dir, 'p'), '--skip-install', '--package-manager', 'pnpm'])).toMatchObject({ code: 0 });
    const pkg = JSON.parse(readFileSync(path.join(dir, 'p', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ scripts: { start: 'pnpm build && node dist/main.js' }, pnpm: { overrides: OVERRIDES } });
    expect(pkg.overrides).toBeUndefined();
  });

  it('generate --dry-run prints the changes and writes nothing; an uneditable module gets instructions', async () => {
    const project = path.join(dir, 'g');
    await cli(['new', project, '--skip-install']);
    const before = readFileSync(path.join(project, 'src/app.module.ts'), 'utf8');
    const dry = await cli(['g', 'pipeline', 'auth', '--project', project, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('CREATE src/auth/auth.pipeline.ts\n  | import');
    expect(dry.out).toContain("UPDATE src/app.module.ts\n  + import { AuthPipeline } from './auth/auth.pipeline';\n  + pipelines: [… AuthPipeline]");
    expect(dry.out).toContain('dry run: nothing was written');
    expect(existsSync(path.join(project, 'src/auth'))).toBe(false);
    expect(readFileSync(path.join(project, 'src/app.module.ts'), 'utf8')).toBe(before);

    writeFileSync(path.join(project, 'src/app.module.ts'), 'export const metadata = {};\n');
    const manual = await cli(['g', 'handler', 'shop', '--project', project]);
    expect(manual.code).toBe(0);
    expect(manual.out).toContain("could not edit src/app.module.ts safely (no @Module( found); add by hand: import { ShopHandler } from './shop/shop.handler'; and list ShopHandler in its @Module handlers");
    expect(existsSync(path.join(project, 'src/shop/shop.handler.ts'))).toBe(true);

    expect(await cli(['g', 'handler', 'shop', '--project', project])).toEqual({ code: 1, out: 'pitaya-ts: src/shop/shop.handler.ts already exists: choose another name or delete it first\n' });
    expect(await cli(['g', 'widget', 'x', '--project', project])).toEqual({ code: 1, out: 'pitaya-ts: unknown element "widget": generate one of handler, remote, pipeline, module\n' });
    expect((await cli(['g', 'handler', '9lives', '--project', project])).out).toMatch(/is not a valid handler name/);
  });

  it('pins the toolchain versions this repository is built with', () => {
    const root = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { devDependencies: Record<string, string>; overrides: Record<string, string> };
    for (const [name, version] of Object.entries(DEV_DEPENDENCIES)) expect({ name, version }).toEqual({ name, version: root.devDependencies[name] });
    expect(DEPENDENCIES.zod).toBe(root.devDependencies.zod);
    expect(OVERRIDES).toEqual(root.overrides);
  });

  it('--help and --version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('$ pitaya-ts new my-game');
    for (const sub of ['new', 'generate', 'repl', 'docs']) {
      const r = await cli([sub, '--help']);
      expect({ sub, code: r.code }).toEqual({ sub, code: 0 });
      expect(r.out).toContain('Examples:');
    }
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')).version}\n` });
  });
});
