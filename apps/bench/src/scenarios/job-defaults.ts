import type { BenchPlan } from '../orchestrator/plan';
import type { RunningTarget } from '../targets/target';
import type { Endpoint } from '../wire/endpoint';
import type { TimedJob } from '../generator/jobs';

/** The shared fields of a timed job from the plan. */
export function timed(plan: BenchPlan, endpoint: Endpoint, target: RunningTarget, measureMs = plan.measureMs): TimedJob {
  return {
    endpoint,
    routes: target.routes,
    warmupMs: plan.warmupMs,
    measureMs,
    drainMs: plan.drainMs,
    connectTimeoutMs: 15_000,
    connectConcurrency: 100,
  };
}
