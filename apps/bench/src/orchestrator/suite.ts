import type { CheckpointLabel, Job, JobResult } from '../generator/jobs';
import type { RowParameters, RunRecord } from '../report/report-types';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from '../targets/target';
import type { Endpoint } from '../wire/endpoint';
import type { GeneratorProcess } from './generator-process';
import type { BenchPlan } from './plan';
import { CpuMeter, readRssKb } from './proc-stats';
import type { ProgressBar } from './progress-bar';

/** A load run to perform against a started target. */
export interface LoadSpec extends RowParameters {
  /** Builds the job for the target's endpoint and routes. */
  readonly job: (endpoint: Endpoint, target: RunningTarget) => Job;
}

/** Rough duration of a job, for the progress bar and its time budget. */
export function estimateMs(job: Job): number {
  if (job.kind === 'idle') return job.connections / Math.max(500, job.connectRatePerSec || 3000) * 1000 + job.settleMs + 1000;
  const members = job.kind === 'broadcast' ? job.rooms * job.roomSize : job.clients;
  return job.warmupMs + job.measureMs + Math.min(job.drainMs, 300) + members * 0.6 + 100;
}

/**
 * Shared state of one benchmark run: the target context, the generator, the progress bar and the
 * records. Scenario functions call `withTarget` and `load`; failures become records with an
 * `error`, never an aborted run.
 */
export class Suite {
  readonly runs: RunRecord[] = [];
  /** Why the last `withTarget` could not start its target. */
  failedStart: string | undefined;

  constructor(
    readonly ctx: TargetContext,
    readonly plan: BenchPlan,
    readonly generator: GeneratorProcess,
    readonly progress: ProgressBar,
    /** The native generator's binary; unset = the Node generator drives the echo and broadcast rows too. */
    readonly nativeBinary?: string,
  ) {}

  /**
   * `job` on the native generator when it can run it (echo and broadcast jobs): not the idle ramp,
   * and not the calibration row, which measures the Node generator's `ws`-library client on purpose.
   */
  private withGenerator(job: Job): Job {
    if (!this.nativeBinary || job.kind === 'idle' || job.endpoint.wsClient !== undefined) return job;
    return { ...job, nativeBinary: this.nativeBinary };
  }

  /** Starts `target`, runs `body`, always stops it. Returns undefined (and notes why) if it could not start. */
  async withTarget<T>(target: TargetDefinition, body: (running: RunningTarget) => Promise<T>, options?: StartOptions): Promise<T | undefined> {
    this.progress.step(`starting ${target.label}`, target.id === 'pinus' ? 4000 : 1000);
    let running: RunningTarget;
    try {
      running = await target.start(this.ctx, options);
    } catch (error) {
      this.progress.note(`! ${target.label} did not start: ${(error as Error).message.split('\n')[0]}`);
      this.failedStart = `${target.label}: ${(error as Error).message}`;
      return undefined;
    }
    try {
      return await body(running);
    } finally {
      await running.stop(5000);
    }
  }

  /**
   * Runs one job through the generator, sampling the server's /proc counters at the checkpoints,
   * and keeps the record unless `keep` is false (runs that must not enter the comparisons).
   */
  async load(target: TargetDefinition, running: RunningTarget, spec: LoadSpec, keep = true): Promise<RunRecord> {
    const port = spec.transport === 'ws' ? running.wsPort : running.tcpPort;
    const job = this.withGenerator(spec.job({ transport: spec.transport, host: '127.0.0.1', port, ...(spec.wsClient ? { wsClient: spec.wsClient } : {}) }, running));
    const estimate = estimateMs(job);
    this.progress.step(`${target.label} · ${spec.row}`, estimate);
    const meter = new CpuMeter(running.pid);
    let serverCpu: number | undefined;
    let rssBefore: number | undefined;
    let rssAfter: number | undefined;
    const onCheckpoint = (label: CheckpointLabel): void => {
      if (label === 'measure-start') meter.start();
      else if (label === 'measure-end') serverCpu = meter.stop();
      else if (label === 'idle-before') rssBefore = readRssKb(running.pid);
      else rssAfter = readRssKb(running.pid);
    };
    const { job: _builder, ...row } = spec;
    const generator = job.kind === 'idle' ? {} : { generator: job.nativeBinary ? 'native' as const : 'node' as const };
    const base = { ...row, target: target.id, ...generator };
    let record: RunRecord;
    try {
      const result: JobResult = await this.generator.run(job, onCheckpoint, estimate * 2 + 60_000);
      const memory = result.kind === 'idle' && rssBefore !== undefined && rssAfter !== undefined
        ? { beforeKb: rssBefore, afterKb: rssAfter, perConnectionKb: result.alive > 0 ? (rssAfter - rssBefore) / result.alive : 0 }
        : undefined;
      record = { ...base, result, serverCpu, memory };
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? 'failed';
      this.progress.note(`! ${target.label} · ${spec.row}: ${message}`);
      record = { ...base, error: message };
    }
    if (keep) this.runs.push(record);
    return record;
  }

  /**
   * Runs a short echo and broadcast load that is not recorded, so neither the server's nor the
   * generator's JIT is cold in the first measured case (the first target would otherwise pay for both).
   * `broadcast: false` for targets that only echo (scenario D's forwarders).
   */
  async prime(target: TargetDefinition, running: RunningTarget, ms: number, broadcast = true): Promise<void> {
    this.progress.step(`${target.label} · priming (not recorded)`, 2 * ms + 500);
    const endpoint: Endpoint = { transport: 'ws', host: '127.0.0.1', port: running.wsPort };
    const common = { endpoint, routes: running.routes, warmupMs: ms / 2, measureMs: ms / 2, drainMs: 300, connectTimeoutMs: 15_000, connectConcurrency: 100 };
    try {
      await this.generator.run(this.withGenerator({ ...common, kind: 'echo-closed', clients: 100, payloadBytes: 64 }), () => undefined, 60_000);
      if (broadcast) await this.generator.run(this.withGenerator({ ...common, kind: 'broadcast', rooms: 10, roomSize: 10, mode: 'closed', ratePerSender: 10, inFlightPerRoom: 4, payloadBytes: 128 }), () => undefined, 60_000);
    } catch (error) {
      this.progress.note(`! priming ${target.label} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** Records a run that could not happen (its target did not start). */
  skip(target: TargetDefinition, spec: RowParameters, reason: string): void {
    this.runs.push({ ...spec, target: target.id, error: reason });
  }
}
