import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger';
import type { PitayaModule } from './module-registry';

/** Options of {@link BinaryModule}. */
export interface BinaryModuleOptions {
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long shutdown waits after SIGTERM before SIGKILL (Pitaya default 15 s). */
  readonly gracefulShutdownMs?: number;
}

/**
 * Pitaya's binary module: starts a child process with the application, logs its stdout lines at
 * info and stderr lines at error, and stops it at shutdown (SIGTERM, then SIGKILL after a grace period).
 */
export class BinaryModule implements PitayaModule {
  private child: ChildProcess | undefined;
  /** Settles with the exit code when the process ends. */
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly options: BinaryModuleOptions, private readonly log: Logger) {}

  init(): Promise<void> {
    const child = spawn(this.options.command, [...(this.options.args ?? [])], {
      cwd: this.options.cwd,
      env: this.options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const name = this.options.command;
    createInterface({ input: child.stdout! }).on('line', (line) => this.log.info({ binary: name }, line));
    createInterface({ input: child.stderr! }).on('line', (line) => this.log.error({ binary: name }, line));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => reject(new Error(`cannot start ${name}: ${error.message}`, { cause: error })));
    });
  }

  async shutdown(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const grace = this.options.gracefulShutdownMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), grace))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.log.warn({ binary: this.options.command }, 'timeout waiting to binary module to die: killing it');
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}
