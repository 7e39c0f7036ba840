import type { BenchPlan } from './plan';

/** Rough duration of a whole run, for the progress bar (only its proportions matter much). */
export function estimatePlanMs(plan: BenchPlan, profile: boolean): number {
  const window = plan.warmupMs + plan.measureMs + 300;
  const openWindow = plan.warmupMs + plan.openMeasureMs + 300;
  const connect = (n: number): number => n * 0.6 + 100;
  const perTarget =
    plan.echoCases.reduce((sum, c) => sum + window + connect(c.clients), 0) +
    plan.openFractions.length * (openWindow + connect(plan.openClients)) +
    2 * plan.roomSizes.length * (window + connect(plan.broadcastMembers)) +
    (plan.idleConnections / plan.idleConnectRate) * 1000 + 4000;
  const starts = 4000 + 2 * 1000 + 3 * 1000 + 4 * (2 * plan.primeMs + 500);
  const forwarded = 4 * (plan.clusterClients.reduce((sum, c) => sum + window + connect(c), 0) + 3000 + plan.primeMs + 500);
  const extras = window + connect(plan.calibrationCase.clients) + forwarded + window + connect(plan.compressionClients) + plan.bootRuns * 700 + (profile ? window + connect(plan.profileClients) + 2000 : 0);
  const clusterBroadcast = 2 * (window + connect(plan.clusterBroadcastMembers) + 2 * plan.primeMs + 4000);
  const goalPass =
    2 * (1000 + 2 * plan.primeMs + 500 + plan.roomSizes.length * (window + connect(plan.broadcastMembers)) + openWindow + connect(plan.openClients)) +
    2 * plan.echoCases.slice(0, 4).reduce((sum, c) => sum + window + connect(c.clients), 0) +
    2 * (plan.clusterClients.reduce((sum, c) => sum + window + connect(c), 0) + 3000 + plan.primeMs + 500) +
    clusterBroadcast;
  const paired = plan.pairedPasses > 0
    ? 2 * 1000 + 2 * (2 * plan.primeMs + 500) + 2 * plan.pairedPasses * (
      plan.echoCases.slice(0, 4).reduce((sum, c) => sum + plan.pairedWarmupMs + plan.pairedMeasureMs + 300 + connect(c.clients), 0) +
      plan.roomSizes.length * (plan.pairedWarmupMs + plan.pairedMeasureMs + 300 + connect(plan.broadcastMembers)))
    : 0;
  return 3 * perTarget + starts + extras + clusterBroadcast + plan.goalRepeats * goalPass + paired;
}
