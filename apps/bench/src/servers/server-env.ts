import * as fs from 'node:fs';

/**
 * What every benchmark server script reads from its environment, and how it says it is ready.
 * The orchestrator sets these; the two cluster scripts (`pitaya-frontend`, `pitaya-backend`) follow
 * the same contract.
 */
export interface ServerEnv {
  /** Always loopback. */
  readonly host: string;
  /** 0 when the script takes no WebSocket clients. */
  readonly wsPort: number;
  /** 0 when the script takes no TCP clients. */
  readonly tcpPort: number;
  /** Where to write {@link ReadyInfo} once listening. */
  readonly readyFile: string;
  /** zlib for outgoing payloads from 256 B: Pitaya's default, on unless `BENCH_COMPRESSION=0` (issue 14: nothing switched off to win). */
  readonly compression: boolean;
  /** etcd client URL (cluster scripts only). */
  readonly etcdUrl: string;
  /** `BENCH_NATS_URL`: the NATS of scenario D's NATS rows (`''` = the gRPC rows). */
  readonly natsUrl: string;
}

/** Written (atomically) to `BENCH_READY_FILE` by a server that accepts clients. */
export interface ReadyInfo {
  /** The process whose CPU and memory the report attributes to this target. */
  readonly pid: number;
  readonly ws: number;
  readonly tcp: number;
}

function int(name: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${raw} is not a port`);
  return n;
}

/** Reads the contract from `process.env`. */
export function readServerEnv(): ServerEnv {
  return {
    host: process.env.BENCH_HOST ?? '127.0.0.1',
    wsPort: int('BENCH_WS_PORT'),
    tcpPort: int('BENCH_TCP_PORT'),
    readyFile: process.env.BENCH_READY_FILE ?? '',
    compression: process.env.BENCH_COMPRESSION !== '0',
    etcdUrl: process.env.BENCH_ETCD_URL ?? '',
    natsUrl: process.env.BENCH_NATS_URL ?? '',
  };
}

/** Writes the ready file via a rename, so the orchestrator never reads half of it. */
export function writeReady(file: string, info: ReadyInfo): void {
  if (!file) return;
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(info));
  fs.renameSync(`${file}.tmp`, file);
}

/** Exits after `close` settles or after `ms`, whichever comes first (a hung close must not hang the bench). */
export function exitOnSignal(close: () => Promise<void>, ms = 3000): void {
  let closing = false;
  const handler = (): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), ms).unref();
    close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
