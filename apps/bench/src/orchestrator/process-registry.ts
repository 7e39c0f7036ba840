import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { pinned, type Pinning } from './cpu-pinning';

/** How to start a child. */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Core to pin it to (ignored without taskset). */
  readonly cpu?: number;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Open an IPC channel (the generator). */
  readonly ipc?: boolean;
}

/** A child started by the bench, leader of its own process group. */
export interface ManagedProcess {
  readonly label: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  readonly hasExited: () => boolean;
  /** Processes it started outside its group that we learnt about (pinus's connector, by pid). */
  readonly extraPids: Set<number>;
}

/**
 * Owns every process the bench starts. Each child leads a new process group (`detached`), so
 * stopping it signals the group and takes its own children along (pinus's master and connector);
 * `killAllSync` runs on exit, so a crash of the orchestrator leaves no orphan either.
 */
export class ProcessRegistry {
  private readonly live = new Set<ManagedProcess>();

  constructor(private readonly pinning: Pinning) {}

  spawn(label: string, cmd: string, args: readonly string[], options: SpawnOptions): ManagedProcess {
    const log = fs.openSync(options.logFile, 'a');
    const command = pinned(this.pinning, options.cpu, cmd, args);
    const stdio: StdioOptions = options.ipc ? ['ignore', log, log, 'ipc'] : ['ignore', log, log];
    const child = spawn(command.cmd, command.args, { cwd: options.cwd, env: options.env ?? process.env, stdio, detached: true });
    fs.closeSync(log);
    if (child.pid === undefined) throw new Error(`could not start ${label}: ${cmd}`);
    let done = false;
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        done = true;
        resolve(code);
      });
      child.once('error', () => {
        done = true;
        resolve(-1);
      });
    });
    const managed: ManagedProcess = { label, child, pid: child.pid, logFile: options.logFile, exited, hasExited: () => done, extraPids: new Set() };
    this.live.add(managed);
    void exited.then(() => {
      if (managed.extraPids.size === 0) this.live.delete(managed);
    });
    return managed;
  }

  /** SIGTERM to the group (and extra pids), SIGKILL after `graceMs`. */
  async stop(p: ManagedProcess, graceMs = 3000): Promise<void> {
    signalAll(p, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    const outcome = await Promise.race([p.exited.then(() => 'exited' as const), timer]);
    if (outcome === 'timeout') signalAll(p, 'SIGKILL');
    else signalAll(p, 'SIGKILL'); // the leader is gone; make sure nothing of its group or extras survived
    await Promise.race([p.exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.live.delete(p);
  }

  /** Stops everything still running, in reverse start order. */
  async stopAll(): Promise<void> {
    for (const p of [...this.live].reverse()) await this.stop(p, 1500);
  }

  /** Last resort on process exit: SIGKILL every group we ever started and has not been reaped. */
  killAllSync(): void {
    for (const p of this.live) signalAll(p, 'SIGKILL');
    this.live.clear();
  }
}

function signalAll(p: ManagedProcess, signal: NodeJS.Signals): void {
  for (const target of [-p.pid, p.pid, ...p.extraPids]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

/** The last `lines` lines of a log file, to explain a failure. */
export function tailOf(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
