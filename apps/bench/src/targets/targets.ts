import { bareTarget } from './bare-target';
import { bareForwardNatsTarget, bareForwardTarget, pitayaClusterNatsTarget, pitayaClusterTarget } from './cluster-target';
import { pitayaClusterBroadcastTarget } from './cluster-broadcast-target';
import { pinusTarget } from './pinus-target';
import { pitayaUncompressedTarget, pitayaStandaloneTarget } from './pitaya-target';
import { pitayaPrometheusTarget, pitayaTracingTarget } from './observability-target';
import type { TargetDefinition, TargetId } from './target';

/** Every target, in the order they run (bare first: the open-loop rates derive from its maximum). */
export const TARGETS: Readonly<Record<TargetId, TargetDefinition>> = {
  bare: bareTarget,
  pinus: pinusTarget,
  pitaya: pitayaStandaloneTarget,
  'pitaya-uncompressed': pitayaUncompressedTarget,
  'pitaya-prometheus': pitayaPrometheusTarget,
  'pitaya-tracing': pitayaTracingTarget,
  'bare-forward': bareForwardTarget,
  'pitaya-cluster': pitayaClusterTarget,
  'bare-forward-nats': bareForwardNatsTarget,
  'pitaya-cluster-nats': pitayaClusterNatsTarget,
  'pitaya-cluster-broadcast': pitayaClusterBroadcastTarget,
};

/** The targets compared side by side in every table. */
export const MAIN_TARGETS: readonly TargetId[] = ['bare', 'pinus', 'pitaya'];
