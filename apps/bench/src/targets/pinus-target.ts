import * as fs from 'node:fs';
import * as path from 'node:path';
import { PINUS_ROUTES } from '../servers/bench-routes';
import { freePort } from '@pitaya-ts/testing';
import { SERVER_NODE_FLAGS, startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

let bases = 0;

/**
 * Prepares a pinus app base in the temporary directory: the config of `apps/bench/pinus-app` with
 * fresh ports, and the compiled handler copied where pinus's loader looks for it.
 */
function prepareBase(ctx: TargetContext): { base: string; clientPort: Promise<number> } {
  const base = path.join(ctx.tmpDir, `pinus-${++bases}`);
  const handlerDir = path.join(base, 'app', 'servers', 'connector', 'handler');
  fs.mkdirSync(path.join(base, 'config'), { recursive: true });
  fs.mkdirSync(handlerDir, { recursive: true });
  fs.mkdirSync(path.join(base, 'logs'), { recursive: true });
  fs.copyFileSync(path.join(ctx.distDir, 'servers', 'pinus-bench-handler.js'), path.join(handlerDir, 'benchHandler.js'));
  const clientPort = (async () => {
    // NODE_ARGS: pinus's master spawns the connector with `servers.json`'s `args` before its script, so it
    // runs with the same V8 flags as every other server of the bench.
    const values: Record<string, string> = {
      MASTER_PORT: String(await freePort()), RPC_PORT: String(await freePort()), CLIENT_PORT: String(await freePort()), NODE_ARGS: JSON.stringify(SERVER_NODE_FLAGS),
    };
    const source = path.join(ctx.appDir, 'pinus-app', 'config');
    for (const file of fs.readdirSync(source)) {
      const text = fs.readFileSync(path.join(source, file), 'utf8').replace(/"\{\{(\w+)\}\}"/g, (_m, key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`unknown placeholder {{${key}}} in pinus-app/config/${file}`);
        return value;
      });
      fs.writeFileSync(path.join(base, 'config', file), text);
    }
    return Number(values.CLIENT_PORT);
  })();
  return { base, clientPort };
}

/** pinus 1.7.4: master + one connector (hybridconnector: ws and tcp on one port). */
export const pinusTarget: TargetDefinition = {
  id: 'pinus',
  label: 'pinus 1.7.4',
  description: 'master + connector, hybridconnector (ws and tcp on one port), JSON, useDict/useProtobuf off, log4js at ERROR, 60 s heartbeat',
  unavailable(ctx: TargetContext): string | undefined {
    try {
      require.resolve('pinus');
    } catch {
      return 'not run: pinus is not installed';
    }
    return fs.existsSync(path.join(ctx.appDir, 'pinus-app', 'config', 'servers.json')) ? undefined : 'not run: pinus-app/config is missing';
  },
  async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
    const { base, clientPort } = prepareBase(ctx);
    await clientPort;
    const { process: master, ready } = await startScript(ctx, {
      label: 'pinus master',
      script: 'pinus-main.js',
      // `development`: pinus spawns its servers detached in `production` (see pinus-app/README.md).
      args: ['env=development'],
      env: { BENCH_PINUS_BASE: base, NODE_ENV: 'development' },
      nodeArgs: options?.nodeArgs,
      cwd: base,
      readyTimeoutMs: 40_000,
    });
    // The connector is the master's child, in its process group; we also kill it by pid to be sure.
    master.extraPids.add(ready.pid);
    return { pid: ready.pid, wsPort: ready.ws, tcpPort: ready.tcp, routes: PINUS_ROUTES, stop: (grace) => ctx.registry.stop(master, grace) };
  },
};
