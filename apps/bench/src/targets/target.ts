import type { BenchRoutes } from '../wire/endpoint';
import type { ProcessRegistry } from '../orchestrator/process-registry';
import type { Pinning } from '../orchestrator/cpu-pinning';

/** Every target of the benchmark. */
export type TargetId = 'bare' | 'pinus' | 'pitaya' | 'pitaya-uncompressed' | 'pitaya-prometheus' | 'pitaya-tracing' | 'bare-forward' | 'pitaya-cluster' | 'bare-forward-nats' | 'pitaya-cluster-nats' | 'pitaya-cluster-broadcast';

/** What targets need from the orchestrator. */
export interface TargetContext {
  readonly registry: ProcessRegistry;
  readonly pinning: Pinning;
  /** The run's temporary directory (logs, ready files, pinus base). Deleted at the end. */
  readonly tmpDir: string;
  /** `apps/bench/dist`. */
  readonly distDir: string;
  /** `apps/bench` (non-TypeScript assets such as `pinus-app/`). */
  readonly appDir: string;
}

/** Extra options for one start. */
export interface StartOptions {
  /** Node flags for the measured server process (`--cpu-prof …`). */
  readonly nodeArgs?: readonly string[];
}

/** A started target. */
export interface RunningTarget {
  /** The process whose CPU and memory are reported (pinus: the connector, not the master). */
  readonly pid: number;
  readonly wsPort: number;
  /** 0 when the target has no TCP acceptor. */
  readonly tcpPort: number;
  readonly routes: BenchRoutes;
  /** More frontends of the same target (the cluster broadcast spreads its members over them and `wsPort`). */
  readonly extraWsPorts?: readonly number[];
  /** Stops every process of the target (grace period, then SIGKILL). */
  stop(graceMs?: number): Promise<void>;
}

/** One thing to measure. Adding a target means adding one of these to the list in `targets.ts`. */
export interface TargetDefinition {
  readonly id: TargetId;
  readonly label: string;
  /** One line for the report: what it is and how it runs. */
  readonly description: string;
  /** `undefined` when it can run; otherwise why not (e.g. "not run: cluster mode pending"). */
  unavailable(ctx: TargetContext): string | undefined;
  start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget>;
}
