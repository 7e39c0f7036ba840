import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '@pitaya-ts/cli';
import { Writable } from 'node:stream';

const repo = path.resolve(__dirname, '../../..');
const PACKED = ['protocol', 'core', 'client', 'cluster', 'testing'];

/** Runs a command; fails the test with its output when it exits non-zero. */
function sh(cmd: string, args: string[], cwd: string): string {
  // The generated project's own Jest must not think it runs inside this one.
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.JEST_WORKER_ID;
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} exited ${r.status ?? r.signal}:\n${out}`);
  return out;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) });
  const code = await runCli(args, { stdout: sink, stderr: sink });
  return { code, out };
}

/**
 * `pitaya-ts new` for real: the projects are installed from `npm pack` tarballs of this workspace
 * (no registry has @pitaya-ts packages), third-party packages from the npm cache that `npm ci` filled
 * (`--prefer-offline`), then built and tested with their own scripts. Both projects share one install
 * in their parent directory (Node and TypeScript look up parent node_modules), made from the
 * generated package.json, to keep the suite's time down.
 */
describe('pitaya-ts new, then generate', () => {
  let work: string;

  beforeAll(() => {
    for (const p of PACKED) {
      if (!existsSync(path.join(repo, 'packages', p, 'dist', 'index.js'))) throw new Error(`packages/${p}/dist is missing: run npm run build first`);
    }
    work = mkdtempSync(path.join(tmpdir(), 'pitaya-ts-new-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('scaffolds a standalone and a --cluster project that install, build and pass their own tests; generated elements too', async () => {
    const game = path.join(work, 'my-game');
    const mmo = path.join(work, 'my-mmo');
    expect(await cli(['new', game, '--skip-install'])).toMatchObject({ code: 0 });
    expect(await cli(['new', mmo, '--cluster', '--skip-install'])).toMatchObject({ code: 0 });
    expect(readdirSync(game).sort()).toEqual(['.gitignore', 'README.md', 'jest.config.js', 'package.json', 'pitaya-ts.json', 'src', 'test', 'tsconfig.build.json', 'tsconfig.json']);
    expect(readFileSync(path.join(mmo, 'README.md'), 'utf8')).toContain('etcd');

    // One install from the cluster project's dependency list, with the workspace packages as tarballs.
    const packs = path.join(work, 'packs');
    mkdirSync(packs);
    sh('npm', ['pack', '--silent', '--pack-destination', packs, ...PACKED.flatMap((p) => ['-w', `packages/${p}`])], repo);
    const tarball = (name: string): string => `file:${path.join(packs, readdirSync(packs).find((f) => f.startsWith(`pitaya-ts-${name}-`))!)}`;
    const generated = JSON.parse(readFileSync(path.join(mmo, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>; devDependencies: Record<string, string>; overrides: Record<string, string>;
    };
    const local = (deps: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, k.startsWith('@pitaya-ts/') ? tarball(k.slice('@pitaya-ts/'.length)) : v]));
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({
      name: 'shared-install',
      private: true,
      // @pitaya-ts/protocol is only a dependency of the others: it must come from its tarball too.
      dependencies: { ...local(generated.dependencies), '@pitaya-ts/protocol': tarball('protocol') },
      devDependencies: local(generated.devDependencies),
      overrides: generated.overrides,
    }));
    const started = Date.now();
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], work);
    const installMs = Date.now() - started;

    for (const project of [game, mmo]) {
      sh('npm', ['run', 'build'], project);
      expect(existsSync(path.join(project, 'dist', 'main.js'))).toBe(true);
      expect(sh('npm', ['test'], project)).toMatch(/Tests:\s+\d+ passed/);
    }

    // generate: the class, its test, the module edited in place; the project still builds and passes.
    for (const project of [game, mmo]) {
      const r = await cli(['generate', 'handler', 'inventory', '--project', project]);
      expect(r).toMatchObject({ code: 0 });
      expect(r.out).toContain('CREATE src/inventory/inventory.handler.ts');
      expect(r.out).toContain('CREATE test/inventory.handler.test.ts');
      expect(r.out).toMatch(/UPDATE src\/(app|room\/room)\.module\.ts/);
      expect(await cli(['g', 'remote', 'ledger', '--project', project])).toMatchObject({ code: 0 });
      sh('npm', ['run', 'build'], project);
      const tests = sh('npm', ['test'], project);
      expect(tests).toMatch(/PASS test\/inventory\.handler\.test\.ts/);
      expect(tests).toMatch(/PASS test\/ledger\.remote\.test\.ts/);
    }
    const appModule = readFileSync(path.join(game, 'src/app.module.ts'), 'utf8');
    expect(appModule).toContain("import { InventoryHandler } from './inventory/inventory.handler';");
    expect(appModule).toContain('handlers: [RoomHandler, InventoryHandler],');
    expect(appModule).toContain('remotes: [RoomRemote, LedgerRemote],');
    expect(readFileSync(path.join(mmo, 'src/room/room.module.ts'), 'utf8')).toContain("import { InventoryHandler } from '../inventory/inventory.handler';");
    // Reported, not asserted: the install dominates the suite's time.
    process.stdout.write(`shared install of the generated projects: ${installMs} ms\n`);
  }, 600_000);
});
