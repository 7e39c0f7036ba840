import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryOnPortRace, tailFile, trackChild } from './child-processes';
import { freePort } from './free-port';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** redis-server executable. Default: `$REDIS_SERVER_BIN`, else `redis-server` from the PATH. */
  readonly binary?: string;
  /** How long to wait for `PING` to answer (default 10 000 ms). */
  readonly startTimeoutMs?: number;
  /**
   * Keep data across {@link RedisHandle.restart} with an append-only file (default false: no
   * persistence at all, which is what most tests want and what makes redis start fastest).
   */
  readonly persistence?: boolean;
}

/** A running redis-server started by {@link startRedis}. */
export interface RedisHandle {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, the form Pitaya's `pitaya.worker.redis.serverurl` takes. */
  readonly address: string;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** redis-server's own log file. */
  readonly logFile: string;
  /** Kills redis and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs redis (an outage), keeping its directory for {@link RedisHandle.restart}. */
  kill(): Promise<void>;
  /** Starts redis again on the same port and directory (killing it first if running), waits until it answers. */
  restart(): Promise<void>;
}

/** One raw `PING` over RESP: no client library needed to know redis is up. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

class RedisProcess implements RedisHandle {
  readonly host = '127.0.0.1';
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly options: Required<StartRedisOptions>,
    private readonly rootDir: string,
    public port: number,
  ) {
    this.logFile = join(rootDir, 'redis.log');
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get url(): string {
    return `redis://${this.address}`;
  }

  async start(): Promise<void> {
    await retryOnPortRace(() => this.launch(), async () => {
      this.port = await freePort();
    });
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('redis was stopped; start a new one');
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.kill();
    rmSync(this.rootDir, { recursive: true, force: true });
  }

  private launch(): Promise<void> {
    const { binary, startTimeoutMs, persistence } = this.options;
    const args = [
      '--port', String(this.port),
      '--bind', this.host,
      '--dir', this.rootDir,
      '--logfile', this.logFile,
      '--daemonize', 'no',
      '--save', '',
      '--appendonly', persistence ? 'yes' : 'no',
      ...(persistence ? ['--appendfsync', 'always'] : []),
    ];
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    trackChild(child);

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        child.kill('SIGKILL');
        const output = [stderr.trim(), tailFile(this.logFile)].filter((s) => s !== '').join('\n');
        reject(new Error(`${why}\n--- redis output (${this.logFile}) ---\n${output}`));
      };
      child.once('error', (err: NodeJS.ErrnoException) =>
        fail(err.code === 'ENOENT'
          ? `redis-server binary "${binary}" not found: install redis (Debian: redis-server) or set REDIS_SERVER_BIN`
          : `cannot start redis-server "${binary}": ${err.message}`),
      );
      child.once('exit', (code, signal) => fail(`redis-server exited during start-up (code ${code}, signal ${signal})`));
      const deadline = Date.now() + startTimeoutMs;
      const poll = async (): Promise<void> => {
        if (settled) return;
        if (await pings(this.port)) {
          settled = true;
          resolve();
        } else if (Date.now() > deadline) {
          fail(`redis-server did not answer PING on ${this.address} within ${startTimeoutMs} ms`);
        } else {
          setTimeout(() => void poll(), 25);
        }
      };
      void poll();
    });
  }
}

/**
 * Starts a throwaway redis-server on a free loopback port in a fresh temporary directory (no
 * persistence unless asked) and resolves once it answers `PING`. Every caller must `stop()` it
 * (`afterAll`); leftovers are SIGKILLed when the process exits.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const resolved: Required<StartRedisOptions> = {
    binary: options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server',
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
    persistence: options.persistence ?? false,
  };
  const rootDir = mkdtempSync(join(tmpdir(), 'pitaya-redis-'));
  const redis = new RedisProcess(resolved, rootDir, await freePort());
  try {
    await redis.start();
  } catch (e) {
    await redis.stop();
    throw e;
  }
  return redis;
}
