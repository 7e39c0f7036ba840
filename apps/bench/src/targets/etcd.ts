import { spawnSync } from 'node:child_process';

/** True when an `etcd` binary is on the PATH (scenario D needs one; `@pitaya-ts/testing` starts it). */
export function hasEtcd(): boolean {
  return spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status === 0;
}
