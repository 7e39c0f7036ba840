import * as path from 'node:path';
import type { CheckpointLabel, Job, JobResult } from '../generator/jobs';
import type { FromGenerator, ToGenerator } from '../generator/ipc-messages';
import { GENERATOR_CPU } from './cpu-pinning';
import { tailOf, type ManagedProcess, type ProcessRegistry } from './process-registry';

/** Reacts to a checkpoint of the running job (reads /proc); the job waits for it. */
export type CheckpointHandler = (label: CheckpointLabel) => void;

/**
 * The load generator child (`dist/generator/worker.js`, pinned to its own core), driven job by job
 * over IPC. A job that overruns its time budget gets the process killed and restarted, and fails.
 */
export class GeneratorProcess {
  private process_: ManagedProcess | undefined;
  private seq = 0;

  constructor(private readonly registry: ProcessRegistry, private readonly distDir: string, private readonly logFile: string) {}

  async start(): Promise<void> {
    const script = path.join(this.distDir, 'generator', 'worker.js');
    const p = this.registry.spawn('load generator', process.execPath, [script], { cpu: GENERATOR_CPU, logFile: this.logFile, ipc: true });
    this.process_ = p;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load generator did not start:\n${tailOf(this.logFile)}`)), 15_000);
      p.child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      void p.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`load generator exited:\n${tailOf(this.logFile)}`));
      });
    });
  }

  /** The generator's pid (its CPU use is in every result, measured from inside). */
  get pid(): number | undefined {
    return this.process_?.pid;
  }

  run(job: Job, onCheckpoint: CheckpointHandler, timeoutMs: number): Promise<JobResult> {
    const p = this.process_;
    if (!p || p.hasExited()) return Promise.reject(new Error('load generator is not running'));
    const seq = ++this.seq;
    return new Promise<JobResult>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        p.child.off('message', onMessage);
        p.child.off('exit', onExit);
      };
      const onMessage = (message: FromGenerator): void => {
        if (message.type === 'checkpoint') {
          onCheckpoint(message.label);
          p.child.send({ type: 'checkpoint-done', seq: message.seq } satisfies ToGenerator);
        } else if (message.type === 'result' && message.seq === seq) {
          cleanup();
          resolve(message.result);
        } else if (message.type === 'failed' && message.seq === seq) {
          cleanup();
          reject(new Error(message.message));
        }
      };
      const onExit = (): void => {
        cleanup();
        reject(new Error(`load generator died during the job:\n${tailOf(this.logFile)}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        void this.restart().finally(() => reject(new Error(`job exceeded its ${Math.round(timeoutMs / 1000)} s budget; generator restarted`)));
      }, timeoutMs);
      p.child.on('message', onMessage);
      p.child.once('exit', onExit);
      p.child.send({ type: 'job', seq, job } satisfies ToGenerator);
    });
  }

  async stop(): Promise<void> {
    const p = this.process_;
    this.process_ = undefined;
    if (!p) return;
    if (!p.hasExited()) p.child.send({ type: 'exit' } satisfies ToGenerator);
    await this.registry.stop(p, 2000);
  }

  private async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
