import * as path from 'node:path';
import { SERVER_CPU } from '../orchestrator/cpu-pinning';
import { freePort } from '@pitaya-ts/testing';
import type { ManagedProcess } from '../orchestrator/process-registry';
import { waitReady } from '../orchestrator/wait-ready';
import type { ReadyInfo } from '../servers/server-env';
import type { TargetContext } from './target';

let counter = 0;

/** How to start one server script of `dist/servers`. */
export interface ScriptStart {
  readonly label: string;
  /** File name in `dist/servers`, e.g. `bare-main.js`. */
  readonly script: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly nodeArgs?: readonly string[];
  /** Arguments after the script. */
  readonly args?: readonly string[];
  readonly cpu?: number;
  /** Ask for WebSocket and TCP ports (frontends). */
  readonly listens?: boolean;
  readonly readyTimeoutMs?: number;
  readonly cwd?: string;
}

/**
 * Starts `node <nodeArgs> dist/servers/<script>` with the bench's environment contract
 * (`BENCH_HOST`, `BENCH_WS_PORT`, `BENCH_TCP_PORT`, `BENCH_READY_FILE`) and waits for its ready file.
 */
export async function startScript(ctx: TargetContext, start: ScriptStart): Promise<{ process: ManagedProcess; ready: ReadyInfo }> {
  const id = `${++counter}-${start.script.replace(/\.js$/, '')}`;
  const readyFile = path.join(ctx.tmpDir, `${id}.ready.json`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    BENCH_HOST: '127.0.0.1',
    BENCH_READY_FILE: readyFile,
    ...(start.listens ? { BENCH_WS_PORT: String(await freePort()), BENCH_TCP_PORT: String(await freePort()) } : {}),
    ...start.env,
  };
  const p = ctx.registry.spawn(start.label, process.execPath, [...(start.nodeArgs ?? []), path.join(ctx.distDir, 'servers', start.script), ...(start.args ?? [])], {
    cpu: start.cpu ?? SERVER_CPU,
    env,
    cwd: start.cwd ?? ctx.tmpDir,
    logFile: path.join(ctx.tmpDir, `${id}.log`),
  });
  try {
    return { process: p, ready: await waitReady(readyFile, p, start.readyTimeoutMs ?? 20_000) };
  } catch (error) {
    await ctx.registry.stop(p, 500);
    throw error;
  }
}
