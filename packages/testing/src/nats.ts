import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryOnPortRace, tailFile, trackChild } from './child-processes';
import { freePort } from './free-port';

/** Options of {@link startNats}. */
export interface StartNatsOptions {
  /** nats-server executable. Default: `$NATS_SERVER_BIN`, else `nats-server` from the PATH (Debian: /usr/sbin). */
  readonly binary?: string;
  /** How long to wait for the port to accept connections (default 10 000 ms). */
  readonly startTimeoutMs?: number;
}

/** A running nats-server started by {@link startNats}. */
export interface NatsHandle {
  /** `nats://127.0.0.1:<port>`, the form Pitaya's `pitaya.cluster.rpc.*.nats.connect` takes. */
  readonly url: string;
  readonly port: number;
  /** nats-server's own log file. */
  readonly logFile: string;
  /** Kills nats-server and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs nats-server (an outage); {@link NatsHandle.restart} brings it back on the same port. */
  kill(): Promise<void>;
  /** Starts nats-server again on the same port (killing it first if running), waits until it accepts connections. */
  restart(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8').startsWith('INFO '));
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

class NatsProcess implements NatsHandle {
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly options: Required<StartNatsOptions>,
    private readonly rootDir: string,
    public port: number,
  ) {
    this.logFile = join(rootDir, 'nats.log');
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
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
    if (this.stopped) throw new Error('nats-server was stopped; start a new one');
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.kill();
    rmSync(this.rootDir, { recursive: true, force: true });
  }

  private launch(): Promise<void> {
    const { binary, startTimeoutMs } = this.options;
    const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(this.port), '-l', this.logFile], { stdio: ['ignore', 'ignore', 'pipe'] });
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
        reject(new Error(`${why}\n--- nats-server output (${this.logFile}) ---\n${output}`));
      };
      child.once('error', (err: NodeJS.ErrnoException) =>
        fail(
          err.code === 'ENOENT'
            ? `nats-server binary "${binary}" not found: install nats-server (Debian: nats-server) or set NATS_SERVER_BIN`
            : `cannot start nats-server "${binary}": ${err.message}`,
        ),
      );
      child.once('exit', (code, signal) => fail(`nats-server exited during start-up (code ${code}, signal ${signal})`));
      const deadline = Date.now() + startTimeoutMs;
      const poll = async (): Promise<void> => {
        if (settled) return;
        if (await accepts(this.port)) {
          settled = true;
          resolve();
        } else if (Date.now() > deadline) {
          fail(`nats-server did not accept connections on ${this.url} within ${startTimeoutMs} ms`);
        } else {
          setTimeout(() => void poll(), 30);
        }
      };
      void poll();
    });
  }
}

function defaultBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  // Debian installs it in /usr/sbin, which is not on every user's PATH.
  const debian = '/usr/sbin/nats-server';
  try {
    accessSync(debian, constants.X_OK);
    return debian;
  } catch {
    return 'nats-server';
  }
}

/**
 * Starts a nats-server on a free loopback port, logging into a fresh temporary directory, and resolves
 * once it accepts clients. Every caller must `stop()` it (`afterAll`); leftovers are SIGKILLed when the
 * process exits. Rejects with the server's output when the binary is missing or it does not come up.
 */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsHandle> {
  const resolved: Required<StartNatsOptions> = {
    binary: options.binary ?? defaultBinary(),
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
  };
  const rootDir = mkdtempSync(join(tmpdir(), 'pitaya-nats-'));
  const nats = new NatsProcess(resolved, rootDir, await freePort());
  try {
    await nats.start();
  } catch (e) {
    await nats.stop();
    throw e;
  }
  return nats;
}
