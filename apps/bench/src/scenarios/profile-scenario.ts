import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarizeProfile, type CpuProfile } from '../profile/cpu-profile';
import type { ProfileRecord } from '../report/report-types';
import type { Suite } from '../orchestrator/suite';
import { TARGETS } from '../targets/targets';
import { timed } from './job-defaults';

/**
 * `--profile`: scenario A (closed loop, 64 B, WebSocket) against pitaya-ts started with
 * `node --cpu-prof`; the server exits cleanly on SIGTERM so V8 writes the profile, which is
 * summarised (self time by function, per message, start-up left out) and then deleted with the
 * temporary directory.
 */
export async function runProfile(suite: Suite): Promise<ProfileRecord> {
  const { plan, ctx } = suite;
  const dir = path.join(ctx.tmpDir, 'cpu-profile');
  fs.mkdirSync(dir, { recursive: true });
  const target = TARGETS.pitaya;
  const clients = plan.profileClients;
  let messages = 0;
  let failure: string | undefined;
  // The profile starts with the process; the load starts after start-up, which is left out.
  const spawnedAt = Date.now();
  let startUpMs = 0;
  const ran = await suite.withTarget(target, async (running) => {
    startUpMs = Date.now() - spawnedAt;
    const record = await suite.load(target, running, {
      scenario: 'A-closed', row: `profile: A-closed ws ${clients}c 64B`, transport: 'ws', clients, payloadBytes: 64,
      job: (endpoint, t) => ({ ...timed(plan, endpoint, t), kind: 'echo-closed', clients, payloadBytes: 64 }),
    }, false); // profiling slows the server: keep this run out of the comparisons
    if (record.result?.kind === 'echo-closed') messages = record.result.answeredTotal;
    else failure = record.error ?? 'the profiled run failed';
    return true;
  }, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const empty: ProfileRecord = { clients, payloadBytes: 64, messages, profiledMs: 0, busyMicrosPerMessage: 0, top: [], byCategory: [] };
  if (!ran) return { ...empty, error: suite.failedStart ?? 'pitaya-ts did not start' };
  if (failure) return { ...empty, error: failure };
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return { ...empty, error: 'no .cpuprofile written (the server did not exit cleanly)' };
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  return summarizeProfile(profile, messages, clients, 64, 20, startUpMs);
}
