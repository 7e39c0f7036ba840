import type { JobResult } from '../generator/jobs';
import type { LatencySummary } from '../generator/latency-recorder';
import type { BenchPlan } from '../orchestrator/plan';
import type { TargetId } from '../targets/target';
import type { Transport, WsClientKind } from '../wire/endpoint';
import type { BootSample } from '../servers/boot-probe';
import type { MachineInfo } from './machine';

/** Scenarios of the report. */
export type ScenarioId = 'A-closed' | 'A-paired' | 'B-paired' | 'A-generator' | 'A-open' | 'A-compression' | 'A-schema' | 'A-observability' | 'B-closed' | 'B-rate' | 'C-idle' | 'D-forward' | 'B-cluster';

/** What identifies a row of the report: the scenario and its parameters, the same for every target. */
export interface RowParameters {
  readonly scenario: ScenarioId;
  /** Identifies the row across targets (same scenario and parameters), e.g. `A-closed ws 1000c 64B`. */
  readonly row: string;
  readonly transport: Transport;
  readonly clients?: number;
  readonly payloadBytes?: number;
  readonly ratePerSec?: number;
  readonly fractionOfBareMax?: number;
  readonly roomSize?: number;
  readonly rooms?: number;
  /** The generator's WebSocket client when it is not the default raw one (the calibration row). */
  readonly wsClient?: WsClientKind;
  /** Which extra pass over the judged rows this run is (1, 2, …); absent for the main pass. */
  readonly repeat?: number;
  /** The generator of an echo or broadcast row: `native` (`native/loadgen.c`) or `node` (absent in reports before it existed: node). */
  readonly generator?: 'native' | 'node';
}

/** One measured run of one target. */
export interface RunRecord extends RowParameters {
  readonly target: TargetId;
  readonly result?: JobResult;
  /** Server CPU during the window (1 = one full core), from /proc/<pid>/stat. */
  readonly serverCpu?: number;
  /** Scenario C: server VmRSS before and after the ramp. */
  readonly memory?: { readonly beforeKb: number; readonly afterKb: number; readonly perConnectionKb: number };
  readonly error?: string;
}

/** Status of a target in this run. */
export interface TargetStatus {
  readonly id: TargetId;
  readonly label: string;
  readonly description: string;
  /** `ran`, or why not. */
  readonly status: string;
}

/** Scenario E. */
export interface BootRecord {
  readonly handlers: number;
  readonly routes: number;
  readonly samples: readonly BootSample[];
  /** Median of `createMs + startMs`. */
  readonly medianCreateStartMs: number;
  readonly medianCreateMs: number;
  readonly medianStartMs: number;
  readonly medianRequireMs: number;
  readonly error?: string;
}

/** One function of the CPU profile. */
export interface ProfileEntry {
  readonly functionName: string;
  /** `package/file:line` (shortened). */
  readonly location: string;
  /** pitaya-ts core, protocol, ws, node internals, GC, … */
  readonly category: string;
  readonly selfMs: number;
  readonly share: number;
  readonly microsPerMessage: number;
}

/** `--profile`. */
export interface ProfileRecord {
  readonly clients: number;
  readonly payloadBytes: number;
  /** Requests the server answered while profiled (warm-up, window and drain). */
  readonly messages: number;
  readonly profiledMs: number;
  /** Busy (non-idle) CPU time per message. */
  readonly busyMicrosPerMessage: number;
  readonly top: readonly ProfileEntry[];
  readonly byCategory: readonly { readonly category: string; readonly selfMs: number; readonly share: number; readonly microsPerMessage: number }[];
  readonly error?: string;
}

/** A goal with its verdict. */
export interface GoalResult {
  readonly goal: string;
  readonly rule: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
  readonly gap?: string;
  /** Reported but not one of the goals being judged (kept for comparison with older reports). */
  readonly informational?: boolean;
  /** The pitaya-ts configuration of the rows judged (see the Goals section's text). */
  readonly config?: string;
  /**
   * When the judged row ran in several passes: the ratio of every pass pair, as median and range
   * (`median 0.87× of 5 (0.78–0.93×)`). The verdict is on each target's best pass; this says how
   * far a typical pass is from it.
   */
  readonly passes?: string;
}

/** The whole JSON report. */
export interface BenchReport {
  readonly schema: 1;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly pinning: string;
  /** What drove the echo and broadcast rows (the native generator and its compiler, or why the Node one did); absent before it existed. */
  readonly echoGenerator?: string;
  /** V8 flags every Node server ran with; absent before they existed. */
  readonly serverNodeFlags?: readonly string[];
  readonly plan: BenchPlan;
  readonly targets: readonly TargetStatus[];
  readonly runs: readonly RunRecord[];
  readonly boot?: BootRecord;
  readonly profile?: ProfileRecord;
  readonly goals: readonly GoalResult[];
  /** In-process cost of validating the echo body (A-schema), when those rows ran. */
  readonly schemaCost?: readonly SchemaCostRecord[];
}

/** Per-message cost of a declared body's validation, fastest of interleaved batches (ns). */
export interface SchemaCostRecord {
  readonly payloadBytes: number;
  readonly decodeNs: number;
  readonly decodeAndValidateNs: number;
  readonly validateNs: number;
  readonly rounds: number;
  readonly batch: number;
}

/** Latency of a record, whatever its kind. */
export function latencyOf(record: RunRecord): LatencySummary | undefined {
  const r = record.result;
  if (!r) return undefined;
  return r.kind === 'idle' ? r.handshake : r.latency;
}
