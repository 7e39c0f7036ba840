import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { startEtcd, type EtcdHandle } from '@pitaya-ts/testing';

/**
 * `npm run cluster`: the chat as a cluster on this machine. Uses the etcd at
 * PITAYA_CLUSTER_SD_ETCD_ENDPOINTS, or one on localhost:2379, or starts a throwaway one; then runs a
 * room backend and a connector as separate processes. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  let endpoints = process.env.PITAYA_CLUSTER_SD_ETCD_ENDPOINTS;
  let etcd: EtcdHandle | undefined;
  if (!endpoints) {
    if (await reachable('127.0.0.1', 2379)) {
      endpoints = '127.0.0.1:2379';
    } else {
      etcd = await startEtcd();
      endpoints = etcd.endpoint;
      console.log(`[run] started etcd for this demo at ${endpoints} (data in a temp dir, removed on exit)`);
    }
  }
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await etcd?.stop();
    process.exit(code);
  };
  for (const [name, script] of [['room', 'room-server.js'], ['connector', 'connector-server.js']] as const) {
    const child = spawn(process.execPath, [path.join(__dirname, script)], {
      env: { ...process.env, PITAYA_CLUSTER_SD_ETCD_ENDPOINTS: endpoints },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
    }
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`[run] ${name} exited (${code}); stopping the cluster`);
        void stop(1);
      }
    });
  }
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
