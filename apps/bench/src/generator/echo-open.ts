import { echoPayload } from '../wire/payloads';
import { FIRST_REQUEST_ID, nextRequestId, RequestTemplate } from '../wire/request-template';
import type { BenchConnection } from '../wire/bench-connection';
import { closeAll, connectClients } from './connect-clients';
import type { EchoOpenJob, EchoResult, RunHooks } from './jobs';
import { LatencyRecorder } from './latency-recorder';
import { runPaced } from './paced-loop';
import { cpuMillis, now, waitFor } from './timing';

interface ClientState {
  readonly connection: BenchConnection;
  id: number;
  /** Request id → intended send time (ms). */
  readonly pending: Map<number, number>;
}

/**
 * Scenario A, open loop: the k-th request of the whole run is due at `start + k / rate` and goes to
 * client `k mod N`, whatever the server's speed. Latency runs from the *intended* time, so a
 * stalled server or generator shows up in the percentiles instead of silently lowering the rate
 * (coordinated omission). Requests intended in the window and still unanswered after the drain
 * are recorded at their age then (a lower bound) and counted as lost.
 */
export async function runEchoOpen(job: EchoOpenJob, hooks: RunHooks): Promise<EchoResult> {
  const outcome = await connectClients(job.endpoint, { count: job.clients, concurrency: job.connectConcurrency, timeoutMs: job.connectTimeoutMs });
  const template = new RequestTemplate(job.routes.echo, echoPayload(job.payloadBytes));
  // Several requests per client may be in flight (and in the socket's queue): a fresh buffer each.
  const wire = outcome.connections[0]?.wireRequest(template);
  const recorder = new LatencyRecorder();
  let completed = 0;
  let answeredTotal = 0;
  let errors = 0;
  let intended = 0;
  let shed = 0;
  let disconnects = 0;
  let closing = false;
  let windowPending = 0;

  const start = now() + 5;
  const measureStart = start + job.warmupMs;
  const measureEnd = measureStart + job.measureMs;
  const inWindow = (t: number): boolean => t >= measureStart && t < measureEnd;

  const states = outcome.connections.map((connection): ClientState => {
    const s: ClientState = { connection, id: FIRST_REQUEST_ID, pending: new Map() };
    connection.listener = {
      onResponse: (id, _data, error) => {
        const intendedAt = s.pending.get(id);
        if (intendedAt === undefined) return;
        s.pending.delete(id);
        answeredTotal++;
        if (!inWindow(intendedAt)) return;
        windowPending--;
        recorder.recordMillis(now() - intendedAt);
        completed++;
        if (error) errors++;
      },
      onPush: () => undefined,
      onClose: () => {
        if (!closing) disconnects++;
      },
    };
    return s;
  });
  if (states.length === 0) throw new Error(`no client could connect: ${outcome.firstError ?? 'unknown error'}`);

  let cpu0 = 0;
  let t0 = 0;
  const startTimer = setTimeout(() => {
    void hooks.checkpoint('measure-start');
    t0 = now();
    cpu0 = cpuMillis();
  }, measureStart - now());
  await runPaced(job.ratePerSec, start, measureEnd, (at, k) => {
    const s = states[k % states.length]!;
    const counted = inWindow(at);
    if (counted) intended++;
    if (s.pending.size >= job.maxOutstandingPerClient || !s.connection.isOpen) {
      if (counted) shed++;
      return;
    }
    s.id = nextRequestId(s.id);
    s.pending.set(s.id, at);
    if (counted) windowPending++;
    s.connection.sendWire(wire!.build(s.id));
  });
  clearTimeout(startTimer);
  const cpu = t0 > 0 ? (cpuMillis() - cpu0) / (now() - t0) : 0;
  void hooks.checkpoint('measure-end');
  await waitFor(() => windowPending === 0, job.drainMs);
  // What is still unanswered is recorded at its current age: the truth is at least that bad.
  const cutoff = now();
  let lost = 0;
  for (const s of states) {
    for (const at of s.pending.values()) {
      if (!inWindow(at)) continue;
      recorder.recordMillis(cutoff - at);
      lost++;
    }
  }
  closing = true;
  await closeAll(outcome.connections);
  return {
    kind: 'echo-open',
    connected: outcome.connections.length,
    connectFailures: outcome.failures,
    disconnects,
    windowMs: job.measureMs,
    completed,
    throughput: completed / (job.measureMs / 1000),
    intended,
    shed,
    lost,
    errors,
    answeredTotal,
    latency: recorder.summary(),
    generatorCpu: cpu,
  };
}
