import { echoPayload } from '../wire/payloads';
import { FIRST_REQUEST_ID, nextRequestId, RequestTemplate, type WireRequest } from '../wire/request-template';
import type { BenchConnection } from '../wire/bench-connection';
import { closeAll, connectClients } from './connect-clients';
import type { EchoClosedJob, EchoResult, RunHooks } from './jobs';
import { LatencyRecorder } from './latency-recorder';
import { cpuMillis, now, sleep, waitFor } from './timing';

interface ClientState {
  readonly connection: BenchConnection;
  /** This client's request bytes, rewritten in place for each request (one in flight at a time). */
  readonly buffer: Buffer;
  id: number;
  sentAt: number;
  waiting: boolean;
}

/**
 * Scenario A, closed loop: each client sends a request, waits for its answer, sends the next. The
 * window counts every answer received in it and records its round trip; throughput is the
 * server's (or the generator's: see `generatorCpu`) sustainable request rate at that concurrency.
 */
export async function runEchoClosed(job: EchoClosedJob, hooks: RunHooks): Promise<EchoResult> {
  const outcome = await connectClients(job.endpoint, { count: job.clients, concurrency: job.connectConcurrency, timeoutMs: job.connectTimeoutMs });
  const template = new RequestTemplate(job.routes.echo, echoPayload(job.payloadBytes));
  const wire: WireRequest | undefined = outcome.connections[0]?.wireRequest(template);
  const recorder = new LatencyRecorder();
  let phase: 'warmup' | 'measure' | 'stop' = 'warmup';
  let completed = 0;
  let answeredTotal = 0;
  let errors = 0;
  let inFlight = 0;
  let disconnects = 0;
  let lost = 0;
  let closing = false;

  const fire = (s: ClientState): void => {
    s.id = nextRequestId(s.id);
    s.sentAt = now();
    s.waiting = true;
    inFlight++;
    wire!.patch(s.buffer, s.id);
    s.connection.sendWire(s.buffer);
  };
  const states = outcome.connections.map((connection): ClientState => {
    const s: ClientState = { connection, buffer: wire!.build(FIRST_REQUEST_ID), id: FIRST_REQUEST_ID, sentAt: 0, waiting: false };
    connection.listener = {
      onResponse: (id, _data, error) => {
        if (!s.waiting || id !== s.id) return;
        s.waiting = false;
        inFlight--;
        answeredTotal++;
        if (phase === 'measure') {
          recorder.recordMillis(now() - s.sentAt);
          completed++;
          if (error) errors++;
        }
        if (phase !== 'stop') fire(s);
      },
      onPush: () => undefined,
      onClose: () => {
        if (phase !== 'stop') disconnects++;
        if (s.waiting && !closing) {
          s.waiting = false;
          inFlight--;
          lost++;
        }
      },
    };
    return s;
  });

  for (const s of states) fire(s);
  await sleep(job.warmupMs);
  phase = 'measure';
  void hooks.checkpoint('measure-start');
  const t0 = now();
  const cpu0 = cpuMillis();
  await sleep(job.measureMs);
  phase = 'stop';
  const windowMs = now() - t0;
  const cpu = (cpuMillis() - cpu0) / windowMs;
  void hooks.checkpoint('measure-end');
  await waitFor(() => inFlight === 0, job.drainMs);
  lost += inFlight;
  closing = true;
  await closeAll(outcome.connections);
  return {
    kind: 'echo-closed',
    connected: outcome.connections.length,
    connectFailures: outcome.failures,
    disconnects,
    windowMs,
    completed,
    throughput: completed / (windowMs / 1000),
    intended: 0,
    shed: 0,
    lost,
    errors,
    answeredTotal,
    latency: recorder.summary(),
    generatorCpu: cpu,
  };
}
