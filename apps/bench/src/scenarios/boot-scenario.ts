import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BootRecord } from '../report/report-types';
import type { BootSample } from '../servers/boot-probe';
import { SERVER_CPU } from '../orchestrator/cpu-pinning';
import { tailOf } from '../orchestrator/process-registry';
import type { Suite } from '../orchestrator/suite';
import { SERVER_NODE_FLAGS } from '../targets/node-server';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Scenario E: boots the generated 100-handler app in a fresh process (pinned to the server's
 * core) `bootRuns` times, sequentially; the median is reported.
 */
export async function runBoot(suite: Suite): Promise<BootRecord> {
  const { plan, ctx } = suite;
  const samples: BootSample[] = [];
  let error: string | undefined;
  for (let i = 0; i < plan.bootRuns; i++) {
    suite.progress.step(`E bootstrap ${plan.bootHandlers} handlers, run ${i + 1}/${plan.bootRuns}`, 700);
    const logFile = path.join(ctx.tmpDir, `boot-${i}.log`);
    const p = ctx.registry.spawn('boot probe', process.execPath, [...SERVER_NODE_FLAGS, path.join(ctx.distDir, 'servers', 'boot-probe.js')], {
      cpu: SERVER_CPU, logFile, env: { ...process.env, NODE_ENV: 'production', BENCH_HANDLERS: String(plan.bootHandlers) },
    });
    const code = await Promise.race([p.exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref())]);
    await ctx.registry.stop(p, 500);
    const line = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').pop() ?? '' : '';
    if (code !== 0 || !line.startsWith('{')) {
      error = `boot probe failed (${String(code)}): ${tailOf(logFile, 5)}`;
      suite.progress.note(`! ${error.split('\n')[0]}`);
      break;
    }
    samples.push(JSON.parse(line) as BootSample);
  }
  const pick = (f: (s: BootSample) => number): number => (samples.length > 0 ? median(samples.map(f)) : 0);
  return {
    handlers: plan.bootHandlers,
    routes: samples[0]?.routes ?? 0,
    samples,
    medianCreateStartMs: pick((s) => s.createMs + s.startMs),
    medianCreateMs: pick((s) => s.createMs),
    medianStartMs: pick((s) => s.startMs),
    medianRequireMs: pick((s) => s.requireMs),
    error,
  };
}
