import { spawnSync } from 'node:child_process';
import * as os from 'node:os';

/** How processes get their cores: `taskset` when present and the machine has at least two. */
export interface Pinning {
  readonly available: boolean;
  /** Why pinning is off, for the report. */
  readonly reason: string;
  readonly cpus: number;
}

/** The server's core and the load generator's core. */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

/** Detects `taskset` (util-linux) and the number of cores. */
export function detectPinning(): Pinning {
  const cpus = os.availableParallelism();
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { available: false, reason: 'taskset not found: processes float over all cores', cpus };
  if (cpus < 2) return { available: false, reason: `only ${cpus} core: server and generator share it`, cpus };
  return { available: true, reason: `server on CPU ${SERVER_CPU}, load generator on CPU ${GENERATOR_CPU} (taskset -c)`, cpus };
}

/** `cmd args` prefixed with `taskset -c <cpu>` when pinning is available (every thread inherits it). */
export function pinned(pinning: Pinning, cpu: number | undefined, cmd: string, args: readonly string[]): { cmd: string; args: string[] } {
  if (!pinning.available || cpu === undefined || cpu >= pinning.cpus) return { cmd, args: [...args] };
  return { cmd: 'taskset', args: ['-c', String(cpu), cmd, ...args] };
}
