import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PUSH_ROUTE } from '../wire/endpoint';
import { echoPayload, padding } from '../wire/payloads';
import { RequestTemplate } from '../wire/request-template';
import { HANDSHAKE_PACKET } from '../wire/bench-connection';
import type { BroadcastJob, BroadcastResult, EchoClosedJob, EchoOpenJob, EchoResult, RunHooks } from './jobs';
import { LatencyRecorder } from './latency-recorder';

/** What every result line of `native/loadgen.c` has. */
interface NativeCommon {
  readonly error?: string;
  readonly connected: number;
  readonly connectFailures: number;
  readonly disconnects: number;
  readonly windowMs: number;
  readonly generatorCpu: number;
  /** [latency µs, count] per non-empty bucket. */
  readonly histogram: readonly (readonly [number, number])[];
}

/** The result line of an echo run. */
interface NativeEchoResult extends NativeCommon {
  readonly completed: number;
  readonly intended: number;
  readonly shed: number;
  readonly lost: number;
  readonly errors: number;
  readonly answeredTotal: number;
}

/** The result line of a broadcast run. */
interface NativeBroadcastResult extends NativeCommon {
  readonly sends: number;
  readonly deliveries: number;
  readonly sentTotal: number;
  readonly deliveredTotal: number;
  readonly stalls: number;
  readonly senders: number;
  readonly maxInFlight: number;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The command line of `loadgen` for `job` (see the header of `native/loadgen.c`). */
export function nativeArgs(job: EchoClosedJob | EchoOpenJob): string[] {
  const request = new RequestTemplate(job.routes.echo, echoPayload(job.payloadBytes));
  const args = [
    'echo', job.endpoint.transport, job.endpoint.host, String(job.endpoint.port), String(job.clients), String(job.connectConcurrency),
    String(job.connectTimeoutMs), String(job.warmupMs), String(job.measureMs), String(job.drainMs), hex(HANDSHAKE_PACKET), hex(request.bytes),
  ];
  if (job.kind === 'echo-open') args.push(String(job.ratePerSec), String(job.maxOutstandingPerClient));
  return args;
}

/** The command line of `loadgen` for a broadcast job. */
export function nativeBroadcastArgs(job: BroadcastJob): string[] {
  const endpoints = (job.endpoints ?? [job.endpoint]).map((e) => `${e.host}:${e.port}`).join(',');
  return [
    'broadcast', job.endpoint.transport, endpoints, String(job.rooms), String(job.roomSize), String(job.sendersPerRoom ?? 1), job.mode,
    String(job.ratePerSender), String(job.inFlightPerRoom), String(job.connectConcurrency), String(job.connectTimeoutMs), String(job.warmupMs),
    String(job.measureMs), String(job.drainMs), hex(HANDSHAKE_PACKET), job.routes.join, job.routes.send, PUSH_ROUTE, String(job.payloadBytes),
    padding(job.payloadBytes),
  ];
}

/**
 * Runs `loadgen` with `args` as a child of this process: it inherits this process's CPU pinning,
 * and this process only waits on its output meanwhile. Its `measure-start`/`measure-end` lines
 * become the job's checkpoints; resolves with its result line.
 */
function runNative<R extends NativeCommon>(binary: string, args: readonly string[], hooks: RunHooks): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let result: R | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line === 'measure-start') void hooks.checkpoint('measure-start');
      else if (line === 'measure-end') void hooks.checkpoint('measure-end');
      else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as R;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (!result) reject(new Error(`native generator ended without a result (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 300)}`));
      else if (result.error) reject(new Error(result.error));
      else resolve(result);
    });
  });
}

function latencyOf(result: NativeCommon): LatencyRecorder {
  const recorder = new LatencyRecorder();
  for (const [micros, count] of result.histogram) recorder.recordMicrosCount(micros, count);
  return recorder;
}

/**
 * Runs an echo job (closed or open loop, same semantics as `echo-closed.ts`/`echo-open.ts`) on the
 * native generator; its histogram becomes the job's latency summary.
 */
export async function runNativeEcho(job: EchoClosedJob | EchoOpenJob, binary: string, hooks: RunHooks): Promise<EchoResult> {
  const result = await runNative<NativeEchoResult>(binary, nativeArgs(job), hooks);
  return {
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
    latency: latencyOf(result).summary(),
    generatorCpu: result.generatorCpu,
  };
}

/** Runs a broadcast job (same semantics as `broadcast.ts`) on the native generator. */
export async function runNativeBroadcast(job: BroadcastJob, binary: string, hooks: RunHooks): Promise<BroadcastResult> {
  const result = await runNative<NativeBroadcastResult>(binary, nativeBroadcastArgs(job), hooks);
  return {
    kind: 'broadcast',
    connected: result.connected,
    connectFailures: result.connectFailures,
    disconnects: result.disconnects,
    windowMs: result.windowMs,
    sends: result.sends,
    deliveries: result.deliveries,
    sentTotal: result.sentTotal,
    deliveredTotal: result.deliveredTotal,
    deliveredPerSec: result.deliveries / (result.windowMs / 1000),
    stalls: result.stalls,
    senders: result.senders,
    maxInFlight: result.maxInFlight,
    latency: latencyOf(result).summary(),
    generatorCpu: result.generatorCpu,
  };
}
