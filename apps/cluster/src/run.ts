import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { freePort, startEtcd, startNats, type EtcdHandle, type NatsHandle } from '@pitaya-ts/testing';

/**
 * `npm run cluster [-- --rpc grpc|nats]`: the chat as a cluster on this machine. Uses the etcd at
 * PITAYA_CLUSTER_SD_ETCD_ENDPOINTS, or one on localhost:2379, or starts a throwaway one; with
 * `--rpc nats` likewise the NATS at PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT, or one on localhost:4222,
 * or a throwaway nats-server. Then runs a room backend and a connector as separate processes.
 * Ctrl-C stops everything. Each server serves Prometheus metrics and health probes on its own port
 * (9091 for the room, 9092 for the connector, or free ones when those are taken), printed as
 * `[run] <server> metrics: …`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rpc: { type: 'string', default: process.env.PITAYA_CLUSTER_RPC_TRANSPORT ?? 'grpc' } } });
  if (values.rpc !== 'grpc' && values.rpc !== 'nats') throw new Error(`--rpc ${values.rpc}: expected grpc or nats`);
  const rpcEnv: Record<string, string> = { PITAYA_CLUSTER_RPC_TRANSPORT: values.rpc };
  let nats: NatsHandle | undefined;
  if (values.rpc === 'nats') {
    let url = process.env.PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT;
    if (!url) {
      if (await reachable('127.0.0.1', 4222)) {
        url = 'nats://127.0.0.1:4222';
      } else {
        nats = await startNats();
        url = nats.url;
        console.log(`[run] started nats-server for this demo at ${url} (log in a temp dir, removed on exit)`);
      }
    }
    rpcEnv.PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT = url;
    rpcEnv.PITAYA_CLUSTER_RPC_SERVER_NATS_CONNECT = process.env.PITAYA_CLUSTER_RPC_SERVER_NATS_CONNECT ?? url;
  }
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
    await Promise.all([etcd?.stop(), nats?.stop()]);
    process.exit(code);
  };
  for (const [name, script, preferredPort] of [['room', 'room-server.js', 9091], ['connector', 'connector-server.js', 9092]] as const) {
    const metricsPort = (await reachable('127.0.0.1', preferredPort)) ? await freePort() : preferredPort;
    console.log(`[run] ${name} metrics: http://localhost:${metricsPort}/metrics (health: /healthz, /readyz)`);
    const child = spawn(process.execPath, [path.join(__dirname, script)], {
      env: {
        ...process.env,
        PITAYA_CLUSTER_SD_ETCD_ENDPOINTS: endpoints,
        ...rpcEnv,
        PITAYA_METRICS_PROMETHEUS_ENABLED: process.env.PITAYA_METRICS_PROMETHEUS_ENABLED ?? 'true',
        PITAYA_METRICS_PROMETHEUS_PORT: String(metricsPort),
      },
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
  console.log(`[run] RPC between the servers: ${values.rpc}`);
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
