import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, httpStatus } from '../orchestrator/net-util';
import type { ManagedProcess } from '../orchestrator/process-registry';
import type { TargetContext } from './target';

/** True when an `etcd` binary is on the PATH. */
export function hasEtcd(): boolean {
  return spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status === 0;
}

/** A throw-away single-node etcd on loopback ports, its data in the temporary directory. */
export async function startEtcd(ctx: TargetContext): Promise<{ url: string; process: ManagedProcess }> {
  const client = await freePort();
  const peer = await freePort();
  const dir = path.join(ctx.tmpDir, `etcd-${client}`);
  fs.mkdirSync(dir, { recursive: true });
  const url = `http://127.0.0.1:${client}`;
  const p = ctx.registry.spawn('etcd', 'etcd', [
    '--name', 'bench', '--data-dir', path.join(dir, 'data'),
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `bench=http://127.0.0.1:${peer}`, '--logger=zap', `--log-outputs=${path.join(dir, 'etcd.log')}`,
  ], { logFile: path.join(dir, 'stdout.log') });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await httpStatus(`${url}/health`, 500)) === 200) return { url, process: p };
    if (p.hasExited()) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await ctx.registry.stop(p, 500);
  throw new Error('etcd did not become healthy within 15 s');
}
