import * as path from 'node:path';
import { SERVER_CPU } from '../orchestrator/cpu-pinning';
import { freePort } from '@pitaya-ts/testing';
import type { ManagedProcess } from '../orchestrator/process-registry';
import { waitReady } from '../orchestrator/wait-ready';
import type { ReadyInfo } from '../servers/server-env';
import type { TargetContext } from './target';

let counter = 0;

/**
 * V8 flags every Node server of the bench runs with, whatever the target (bare, pinus, pitaya-ts, forwarders,
 * cluster processes), so no side gets a runtime the other lacks.
 *
 * Why `--max-semi-space-size=4` (MB): V8 sizes the young generation by what survives scavenges, and a
 * framework's start-up (module graph, DI container, gRPC and protobuf loaders) grows it to the 16 MB
 * maximum before the first request; it never shrinks back under load. A 16 MB semi-space under a steady
 * message load means a scavenge every ~130 ms that pauses ~1.3 ms (most of it sweeping the per-read
 * ArrayBuffers), which is the echo p99. The bare server never grows past ~4 MB on its own, so the cap changes
 * nothing for it; for pitaya-ts it brings the p99 of 100 WebSocket clients from ~4.3 ms to the bare
 * server's ~3.5 ms at the same throughput. It is a deployment trade-off, not a default the framework sets:
 * the gRPC-heavy cluster broadcast row read ~25 % lower with it in two back-to-back pairs of runs (more
 * in-flight call state promoted to the old generation), so docs/architecture.md (Performance) gives both.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

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
 * Starts `node <SERVER_NODE_FLAGS> <nodeArgs> dist/servers/<script>` with the bench's environment contract
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
  const p = ctx.registry.spawn(start.label, process.execPath, [...SERVER_NODE_FLAGS, ...(start.nodeArgs ?? []), path.join(ctx.distDir, 'servers', start.script), ...(start.args ?? [])], {
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
