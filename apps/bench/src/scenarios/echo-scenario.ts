import type { RunRecord } from '../report/report-types';
import type { EchoCase } from '../orchestrator/plan';
import type { Suite } from '../orchestrator/suite';
import type { RunningTarget, TargetDefinition } from '../targets/target';
import type { Job } from '../generator/jobs';
import { SCHEMA_ECHO_ROUTE } from '../servers/bench-routes';
import type { Endpoint, Transport } from '../wire/endpoint';
import { timed } from './job-defaults';

/** Row label of a closed-loop echo run. */
export function closedRow(transport: Transport, clients: number, payload: number): string {
  return `A-closed ${transport} ${clients}c ${payload}B`;
}

/**
 * Runs scenario A (closed loop over ws and tcp; the plan's cases unless given) against a started
 * target; `repeat` marks an extra pass over the judged rows.
 */
export async function runClosedEcho(suite: Suite, target: TargetDefinition, running: RunningTarget, cases: readonly EchoCase[] = suite.plan.echoCases, repeat?: number): Promise<void> {
  const { plan } = suite;
  for (const c of cases) {
    if (c.transport === 'tcp' && running.tcpPort <= 0) continue;
    await suite.load(target, running, {
      scenario: 'A-closed', row: closedRow(c.transport, c.clients, c.payload), transport: c.transport, clients: c.clients, payloadBytes: c.payload,
      ...(repeat !== undefined ? { repeat } : {}),
      job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients: c.clients, payloadBytes: c.payload }),
    });
  }
}

/**
 * The generator-calibration row (bare target only): the plan's calibration case driven with the
 * `ws` package's WebSocket client, right after the same row with the raw client, so the report can
 * show what the generator's client costs (generator CPU per request) on the same server and machine state.
 */
export async function runCalibrationRow(suite: Suite, target: TargetDefinition, running: RunningTarget): Promise<void> {
  const { plan } = suite;
  const c = plan.calibrationCase;
  await suite.load(target, running, {
    scenario: 'A-generator', row: `${closedRow(c.transport, c.clients, c.payload)} ws-library client`, transport: c.transport, clients: c.clients, payloadBytes: c.payload,
    wsClient: 'ws-library',
    job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients: c.clients, payloadBytes: c.payload }),
  });
}

/**
 * The bare maximum: best closed-loop 64 B WebSocket throughput of the bare target in this run's main
 * pass (the extra passes reuse it, so every pass of the open loop offers the same rate).
 */
export function bareMax(runs: readonly RunRecord[]): number | undefined {
  let best: number | undefined;
  for (const r of runs) {
    if (r.target !== 'bare' || r.scenario !== 'A-closed' || r.transport !== 'ws' || r.payloadBytes !== 64 || r.repeat !== undefined) continue;
    if (r.result?.kind === 'echo-closed') best = Math.max(best ?? 0, r.result.throughput);
  }
  return best;
}

/**
 * Runs scenario A open loop at the plan's fractions of the bare maximum (same offered load for every
 * target), or at `fractions`; `repeat` marks an extra pass over the judged rows.
 */
export async function runOpenEcho(
  suite: Suite, target: TargetDefinition, running: RunningTarget, max: number | undefined, fractions: readonly number[] = suite.plan.openFractions, repeat?: number,
): Promise<void> {
  const { plan } = suite;
  for (const fraction of fractions) {
    const pct = Math.round(fraction * 100);
    const row = `A-open ws ${plan.openClients}c 64B @${pct}% bare max`;
    const spec = {
      scenario: 'A-open' as const, row, transport: 'ws' as const, clients: plan.openClients, payloadBytes: 64, fractionOfBareMax: fraction,
      ...(repeat !== undefined ? { repeat } : {}),
    };
    if (max === undefined) {
      suite.skip(target, spec, 'no bare maximum measured');
      continue;
    }
    const rate = Math.max(1, Math.round(fraction * max));
    await suite.load(target, running, {
      ...spec,
      ratePerSec: rate,
      job: (endpoint, t) => ({
        ...timed(plan, endpoint, t, plan.openMeasureMs),
        kind: 'echo-open', clients: plan.openClients, payloadBytes: 64, ratePerSec: rate, maxOutstandingPerClient: 256,
      }),
    });
  }
}

/**
 * The "declared schema" rows: the closed-loop ws echo of {@link closedRow} against the same running
 * server, once on the plain `echo` and once on `echoValidated` (zod-validated body), one after the
 * other so both see the same machine state. Same row names as A-closed, scenario `A-schema`.
 */
export async function runSchemaRows(suite: Suite, target: TargetDefinition, running: RunningTarget): Promise<void> {
  const { plan } = suite;
  const clients = plan.compressionClients;
  const validated: RunningTarget = { ...running, routes: { ...running.routes, echo: SCHEMA_ECHO_ROUTE } };
  for (const payload of plan.payloads) {
    const row = closedRow('ws', clients, payload);
    const job = (endpoint: Endpoint, t: RunningTarget): Job => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients, payloadBytes: payload });
    await suite.load(target, running, { scenario: 'A-schema', row: `${row} plain`, transport: 'ws', clients, payloadBytes: payload, job });
    await suite.load(target, validated, { scenario: 'A-schema', row: `${row} schema`, transport: 'ws', clients, payloadBytes: payload, job });
  }
}

/**
 * The observability rows: the same closed-loop echo as `pitaya`'s first WebSocket 64 B row, against
 * the app with the Prometheus reporter or tracing on, so the report can give the cost as a ratio.
 */
export async function runObservabilityRow(suite: Suite, target: TargetDefinition, running: RunningTarget): Promise<void> {
  const { plan } = suite;
  const clients = plan.echoCases[0]!.clients;
  await suite.load(target, running, {
    scenario: 'A-observability', row: closedRow('ws', clients, 64), transport: 'ws', clients, payloadBytes: 64,
    job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients, payloadBytes: 64 }),
  });
}

/** The "compression on" row: echo of 1 KB, closed loop. */
export async function runCompressionRow(suite: Suite, target: TargetDefinition, running: RunningTarget): Promise<void> {
  const { plan } = suite;
  const clients = plan.compressionClients;
  await suite.load(target, running, {
    scenario: 'A-compression', row: closedRow('ws', clients, 1024), transport: 'ws', clients, payloadBytes: 1024,
    job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients, payloadBytes: 1024 }),
  });
}
