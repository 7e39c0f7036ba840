#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { detectPinning } from './orchestrator/cpu-pinning';
import { GeneratorProcess } from './orchestrator/generator-process';
import { buildNativeGenerator, type NativeGenerator } from './orchestrator/native-generator';
import { FULL_PLAN, QUICK_PLAN, withWindows, type BenchPlan } from './orchestrator/plan';
import { estimatePlanMs } from './orchestrator/plan-estimate';
import { ProcessRegistry } from './orchestrator/process-registry';
import { ProgressBar } from './orchestrator/progress-bar';
import { Suite } from './orchestrator/suite';
import { evaluateGoals } from './report/goals';
import { machineInfo } from './report/machine';
import type { BenchReport, BootRecord, ProfileRecord, TargetStatus } from './report/report-types';
import { writeReport } from './report/write-report';
import { runBoot } from './scenarios/boot-scenario';
import { runBroadcasts } from './scenarios/broadcast-scenario';
import { runCluster } from './scenarios/cluster-scenario';
import { bareMax, runCalibrationRow, runClosedEcho, runCompressionRow, runObservabilityRow, runOpenEcho, runSchemaRows } from './scenarios/echo-scenario';
import { runClusterBroadcast } from './scenarios/cluster-broadcast-scenario';
import { runGoalRepeats } from './scenarios/goal-repeats';
import { runInterleavedPairs } from './scenarios/paired-scenario';
import { runIdle } from './scenarios/idle-scenario';
import { measureSchemaCost } from './scenarios/schema-cost';
import { runProfile } from './scenarios/profile-scenario';
import type { TargetContext, TargetId } from './targets/target';
import { SERVER_NODE_FLAGS } from './targets/node-server';
import { MAIN_TARGETS, TARGETS } from './targets/targets';

interface CliOptions {
  quick?: boolean;
  profile?: boolean;
  measure?: string;
  warmup?: string;
  /** Extra passes over the judged rows (overrides the plan's `goalRepeats`). */
  repeats?: string;
  /** Interleaved pairs of the echo goal rows and closed-loop broadcast rows (overrides the plan's `pairedPasses`). */
  pairs?: string;
  /** Only the interleaved pairs (A-paired, B-paired): a short run of what the echo goals and the broadcast guard are judged on. */
  pairedOnly?: boolean;
  out: string;
  keepTmp?: boolean;
  /** Only the declared-schema rows (plain vs validated echo): a short run. */
  schemaOnly?: boolean;
  /** Only the observability rows (echo with observability off, Prometheus on, tracing on): a short run. */
  observabilityOnly?: boolean;
  /** Only the cluster broadcast rows (B-cluster: standalone pitaya-ts, then backend → 2 frontends). */
  clusterBroadcastOnly?: boolean;
  /** What drives the echo and broadcast rows: `native` (default; falls back to node when it cannot be built) or `node`. */
  generator: string;
}

function fdLimit(): string {
  return spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
}

/** Keeps scenario C inside the file-descriptor limit of one process (each side holds one fd per connection). */
function fitToFdLimit(plan: BenchPlan, limit: string, progress: ProgressBar): BenchPlan {
  const n = Number(limit);
  if (!Number.isFinite(n) || plan.idleConnections + 500 <= n) return plan;
  const fitted = Math.max(100, n - 500);
  progress.note(`ulimit -n is ${n}: scenario C ramps to ${fitted} connections instead of ${plan.idleConnections}`);
  return { ...plan, idleConnections: fitted };
}

async function run(options: CliOptions, registry: ProcessRegistry): Promise<number> {
  const startedAt = new Date();
  const pinning = detectPinning();
  let plan = withWindows(
    options.quick ? QUICK_PLAN : FULL_PLAN,
    options.measure ? Number(options.measure) : undefined,
    options.warmup ? Number(options.warmup) : undefined,
    options.repeats !== undefined ? Math.max(0, Math.floor(Number(options.repeats))) : undefined,
    options.pairs !== undefined ? Math.max(0, Math.floor(Number(options.pairs))) : undefined,
  );
  const progress = new ProgressBar(estimatePlanMs(plan, options.profile === true));
  const limit = fdLimit();
  plan = fitToFdLimit(plan, limit, progress);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitaya-bench-'));
  const ctx: TargetContext = { registry, pinning, tmpDir, distDir: __dirname, appDir: path.resolve(__dirname, '..') };
  progress.note(`pitaya-ts bench (${plan.mode}): ${pinning.reason}; temporary files in ${tmpDir}`);
  const generator = new GeneratorProcess(registry, ctx.distDir, path.join(tmpDir, 'generator.log'));
  const native: NativeGenerator = options.generator === 'node'
    ? { description: 'Node (`--generator node`)' }
    : buildNativeGenerator(ctx.appDir, path.join(tmpDir, 'native'));
  progress.note(`load generator of the echo and broadcast rows: ${native.description}`);
  const suite = new Suite(ctx, plan, generator, progress, native.binary);
  const statuses = new Map<TargetId, string>();
  let boot: BootRecord | undefined;
  let profile: ProfileRecord | undefined;
  try {
    await generator.start();
    const partial = options.schemaOnly === true || options.observabilityOnly === true || options.clusterBroadcastOnly === true || options.pairedOnly === true;
    for (const id of options.observabilityOnly || options.clusterBroadcastOnly || options.pairedOnly ? [] : options.schemaOnly ? (['pitaya'] as const) : MAIN_TARGETS) {
      const target = TARGETS[id];
      const reason = target.unavailable(ctx);
      if (reason) {
        statuses.set(id, reason);
        continue;
      }
      const ran = await suite.withTarget(target, async (running) => {
        await suite.prime(target, running, plan.primeMs);
        if (!options.schemaOnly) await runClosedEcho(suite, target, running);
        if (id === 'bare' && !options.schemaOnly) await runCalibrationRow(suite, target, running);
        if (id === 'pitaya') await runSchemaRows(suite, target, running);
        if (options.schemaOnly) return true;
        await runOpenEcho(suite, target, running, bareMax(suite.runs));
        await runBroadcasts(suite, target, running);
        return true;
      });
      statuses.set(id, ran ? 'ran' : `failed to start: ${suite.failedStart ?? ''}`);
    }
    const compressed = TARGETS['pitaya-uncompressed'];
    const ranCompressed = partial ? false : await suite.withTarget(compressed, async (running) => {
      await suite.prime(compressed, running, plan.primeMs);
      await runCompressionRow(suite, compressed, running);
      return true;
    });
    if (!partial) statuses.set('pitaya-uncompressed', ranCompressed ? 'ran (echo 1 KB only)' : `failed to start: ${suite.failedStart ?? ''}`);
    // Observability off, Prometheus on, tracing on: one after the other so the three see the same machine state.
    for (const id of options.schemaOnly || options.clusterBroadcastOnly || options.pairedOnly ? [] : (['pitaya', 'pitaya-prometheus', 'pitaya-tracing'] as const)) {
      const observed = TARGETS[id];
      const ran = await suite.withTarget(observed, async (running) => {
        await suite.prime(observed, running, plan.primeMs);
        await runObservabilityRow(suite, observed, running);
        return true;
      });
      if (id !== 'pitaya') statuses.set(id, ran ? 'ran (echo ws 64 B only)' : `failed to start: ${suite.failedStart ?? ''}`);
    }
    for (const id of partial ? [] : MAIN_TARGETS) if (statuses.get(id) === 'ran') await runIdle(suite, TARGETS[id]);
    for (const [id, status] of Object.entries(partial ? {} : await runCluster(suite))) statuses.set(id as TargetId, status);
    if (!partial) await runGoalRepeats(suite);
    if (!partial || options.pairedOnly) {
      const paired = await runInterleavedPairs(suite);
      if (options.pairedOnly) for (const id of ['bare', 'pitaya'] as const) statuses.set(id, paired ? 'ran (interleaved pairs only)' : `not run: ${suite.failedStart ?? 'no pairs planned'}`);
    }
    if (!partial || options.clusterBroadcastOnly) statuses.set('pitaya-cluster-broadcast', await runClusterBroadcast(suite));
    if (!partial) boot = await runBoot(suite);
    if (options.profile) profile = await runProfile(suite);
  } finally {
    await generator.stop();
    await registry.stopAll();
    progress.finish();
    if (!options.keepTmp) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const targets: TargetStatus[] = (Object.keys(TARGETS) as TargetId[]).map((id) => ({
    id, label: TARGETS[id].label, description: TARGETS[id].description, status: statuses.get(id) ?? 'not run',
  }));
  const report: BenchReport = {
    schema: 1,
    mode: plan.mode,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    command: `npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machineInfo(limit),
    pinning: pinning.reason,
    echoGenerator: native.description,
    serverNodeFlags: SERVER_NODE_FLAGS,
    plan,
    targets,
    runs: suite.runs,
    boot,
    profile,
    goals: evaluateGoals(suite.runs),
    schemaCost: statuses.get('pitaya')?.startsWith('ran') ? measureSchemaCost(plan.payloads) : undefined,
  };
  const written = writeReport(report, path.resolve(options.out));
  for (const g of report.goals) process.stderr.write(`${g.pass === undefined ? '  n/a' : g.informational ? '  info' : g.pass ? '  pass' : '  FAIL'}  ${g.goal}: ${g.measured}\n`);
  process.stderr.write(`report: ${path.relative(process.cwd(), written.markdown)} (+ .json, ${written.charts.length} SVG charts)\n`);
  const failures = suite.runs.filter((r) => r.error && !r.error.startsWith('not run')).length;
  return failures > 0 ? 3 : 0;
}

function main(): void {
  const program = new Command()
    .name('bench')
    .description('pitaya-ts benchmarks against the bare ws/net limit and pinus 1.7.4 (scenarios A–E), with a Markdown/JSON/SVG report')
    .option('--quick', 'small sizes and short windows (under 2 minutes): every target and scenario')
    .option('--profile', 'also run scenario A against pitaya-ts under node --cpu-prof and summarise it')
    .option('--measure <seconds>', 'measured window of each case')
    .option('--warmup <seconds>', 'warm-up of each case')
    .option('--repeats <n>', 'extra passes over the judged rows, bare and pitaya-ts alternating; best pass judged, every pass reported (full: 4, quick: 0)')
    .option('--pairs <n>', 'interleaved pairs of the echo goal rows and the closed-loop broadcast rows, bare and pitaya-ts both up, the generator alternating between them; the echo goals and the broadcast guard are judged on their median ratio (full: 9, quick: 1, 0 = judge the best passes)')
    .option('--paired-only', 'only the interleaved pairs (A-paired, B-paired): what the echo goals and the broadcast guard are judged on, in a few minutes')
    .option('--out <dir>', 'where the report goes', path.resolve(__dirname, '..', 'results'))
    .option('--keep-tmp', 'keep the temporary directory (logs, pinus base) for debugging')
    .option('--schema-only', 'only the declared-schema rows: plain vs zod-validated echo on one pitaya-ts server')
    .option('--cluster-broadcast-only', 'only the cluster broadcast rows: one room on standalone pitaya-ts, then on a backend with its members on two frontends')
    .option('--observability-only', 'only the observability rows: echo with observability off, the Prometheus reporter on, tracing sampled at 100 %')
    .option('--generator <kind>', 'what drives the echo and broadcast rows: native (the C generator in native/, built with cc at start; Node when it cannot be built) or node', 'native')
    .parse();
  const options = program.opts<CliOptions>();
  const registry = new ProcessRegistry(detectPinning());
  // Whatever happens, no child outlives the orchestrator.
  process.on('exit', () => registry.killAllSync());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every child process\n`);
      void registry.stopAll().finally(() => process.exit(130));
    });
  }
  run(options, registry).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`\nbench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      registry.killAllSync();
      process.exit(1);
    },
  );
}

if (require.main === module) main();
