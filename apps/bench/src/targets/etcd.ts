import { spawnSync } from 'node:child_process';

/** True when a `nats-server` binary is installed (scenario D's NATS rows need one; `@pitaya-ts/testing` starts it). */
export function hasNatsServer(): boolean {
  // Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
  return spawnSync('sh', ['-c', 'command -v nats-server || test -x /usr/sbin/nats-server'], { stdio: 'ignore' }).status === 0;
}

/** True when an `etcd` binary is on the PATH (scenario D needs one; `@pitaya-ts/testing` starts it). */
export function hasEtcd(): boolean {
  return spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status === 0;
}
