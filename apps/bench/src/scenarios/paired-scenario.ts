import { GOAL_ECHO_CASES } from '../orchestrator/plan';
import type { LoadSpec, Suite } from '../orchestrator/suite';
import type { RunningTarget, TargetDefinition } from '../targets/target';
import { TARGETS } from '../targets/targets';
import { broadcastLoad } from './broadcast-scenario';
import { closedRow } from './echo-scenario';
import { timed } from './job-defaults';

/**
 * The judged standalone rows measured in interleaved pairs (`plan.pairedPasses`), which is what the
 * echo goals and the broadcast guard are judged on: A-paired (the echo goal rows) then B-paired (the
 * closed-loop broadcast rows). Bare and pitaya-ts are both started (both pinned to the server core;
 * the one not being measured sits idle in epoll with no connection), primed once, then for each row
 * the generator runs one short window against each, alternating which goes first (bare in odd pairs,
 * pitaya-ts in even ones) so neither side always follows the other. The two windows of a pair run
 * seconds apart, where the sequential passes run minutes apart and this host's speed moves by ±25 %
 * over minutes: the pair's ratio is the framework's cost, not which side got the fast minutes.
 * False when the pairs did not run (none planned, or a target did not start).
 */
export async function runInterleavedPairs(suite: Suite): Promise<boolean> {
  const { plan } = suite;
  if (plan.pairedPasses <= 0) return false;
  const bare = TARGETS.bare;
  const pitaya = TARGETS.pitaya;
  if (bare.unavailable(suite.ctx) || pitaya.unavailable(suite.ctx)) return false;
  const window = { warmupMs: plan.pairedWarmupMs, measureMs: plan.pairedMeasureMs };
  const ran = await suite.withTarget(bare, (bareRunning) => suite.withTarget(pitaya, async (pitayaRunning) => {
    await suite.prime(bare, bareRunning, plan.primeMs, false);
    await suite.prime(pitaya, pitayaRunning, plan.primeMs, false);
    const sides: readonly (readonly [TargetDefinition, RunningTarget])[] = [[bare, bareRunning], [pitaya, pitayaRunning]];
    /** Every pair of one row: `load` is the row's spec but for the pair number. */
    const pairs = async (load: Omit<LoadSpec, 'repeat'>, tcp: boolean): Promise<void> => {
      for (let pair = 1; pair <= plan.pairedPasses; pair++) {
        for (const [target, running] of pair % 2 === 1 ? sides : [...sides].reverse()) {
          if (tcp && running.tcpPort <= 0) continue;
          await suite.load(target, running, { ...load, repeat: pair });
        }
      }
    };
    for (const c of GOAL_ECHO_CASES) {
      await pairs({
        scenario: 'A-paired', row: closedRow(c.transport, c.clients, c.payload), transport: c.transport, clients: c.clients, payloadBytes: c.payload,
        job: (endpoint, t) => ({ ...timed(plan, endpoint, t, plan.pairedMeasureMs), warmupMs: plan.pairedWarmupMs, kind: 'echo-closed', clients: c.clients, payloadBytes: c.payload }),
      }, c.transport === 'tcp');
    }
    for (const roomSize of plan.roomSizes) await pairs({ scenario: 'B-paired', ...broadcastLoad(plan, 'closed', roomSize, window) }, false);
    return true;
  }));
  return ran === true;
}
