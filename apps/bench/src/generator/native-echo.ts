import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { echoPayload } from '../wire/payloads';
import { RequestTemplate } from '../wire/request-template';
import { HANDSHAKE_PACKET } from '../wire/bench-connection';
import type { EchoClosedJob, EchoOpenJob, EchoResult, RunHooks } from './jobs';
import { LatencyRecorder } from './latency-recorder';

/** The result line of `native/loadgen.c`. */
interface NativeResult {
  readonly error?: string;
  readonly connected: number;
  readonly connectFailures: number;
  readonly disconnects: number;
  readonly windowMs: number;
  readonly completed: number;
  readonly intended: number;
  readonly shed: number;
  readonly lost: number;
  readonly errors: number;
  readonly answeredTotal: number;
  readonly generatorCpu: number;
  /** [latency µs, count] per non-empty bucket. */
  readonly histogram: readonly (readonly [number, number])[];
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The command line of `loadgen` for `job` (see the header of `native/loadgen.c`). */
export function nativeArgs(job: EchoClosedJob | EchoOpenJob): string[] {
  const request = new RequestTemplate(job.routes.echo, echoPayload(job.payloadBytes));
  const args = [
    job.endpoint.transport, job.endpoint.host, String(job.endpoint.port), String(job.clients), String(job.connectConcurrency),
    String(job.connectTimeoutMs), String(job.warmupMs), String(job.measureMs), String(job.drainMs), hex(HANDSHAKE_PACKET), hex(request.bytes),
  ];
  if (job.kind === 'echo-open') args.push(String(job.ratePerSec), String(job.maxOutstandingPerClient));
  return args;
}

/**
 * Runs an echo job (closed or open loop, same semantics as `echo-closed.ts`/`echo-open.ts`) on the
 * native generator, a child of this process: it inherits this process's CPU pinning, and this
 * process only waits on its output meanwhile. Its `measure-start`/`measure-end` lines become the
 * job's checkpoints, its histogram the job's latency summary.
 */
export function runNativeEcho(job: EchoClosedJob | EchoOpenJob, binary: string, hooks: RunHooks): Promise<EchoResult> {
  return new Promise<EchoResult>((resolve, reject) => {
    const child = spawn(binary, nativeArgs(job), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let result: NativeResult | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line === 'measure-start') void hooks.checkpoint('measure-start');
      else if (line === 'measure-end') void hooks.checkpoint('measure-end');
      else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as NativeResult;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (!result) {
        reject(new Error(`native generator ended without a result (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 300)}`));
        return;
      }
      if (result.error) {
        reject(new Error(result.error));
        return;
      }
      const recorder = new LatencyRecorder();
      for (const [micros, count] of result.histogram) recorder.recordMicrosCount(micros, count);
      resolve({
        kind: job.kind,
        connected: result.connected,
        connectFailures: result.connectFailures,
        disconnects: result.disconnects,
        windowMs: result.windowMs,
        completed: result.completed,
        throughput: result.completed / (result.windowMs / 1000),
        intended: result.intended,
        shed: result.shed,
        lost: result.lost,
        errors: result.errors,
        answeredTotal: result.answeredTotal,
        latency: recorder.summary(),
        generatorCpu: result.generatorCpu,
      });
    });
  });
}
