import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost everywhere). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(out.stdout?.trim());
    clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

/** Resident memory of `pid` in KiB (`VmRSS` of /proc/<pid>/status); undefined when unreadable. */
export function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) of `pid` in milliseconds, from /proc/<pid>/stat. */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / ticksPerSecond()) * 1000;
  } catch {
    return undefined;
  }
}

/** Measures the CPU share of `pid` between `start()` and `stop()` (1 = one full core). */
export class CpuMeter {
  private startCpu: number | undefined;
  private startAt = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    this.startCpu = readCpuMs(this.pid);
    this.startAt = performance.now();
  }

  stop(): number | undefined {
    const cpu = readCpuMs(this.pid);
    if (cpu === undefined || this.startCpu === undefined) return undefined;
    const elapsed = performance.now() - this.startAt;
    return elapsed > 0 ? (cpu - this.startCpu) / elapsed : undefined;
  }
}
