import { ConfigSource, type Type } from '@pitaya-ts/core';
import { resolveConfig } from '@pitaya-ts/core/internal';
import { CLUSTER_CONFIG_KEYS, type ClusterConfig, type ClusterConfigInput } from './cluster-config';
import type { ServiceDiscovery } from './discovery/service-discovery';
import type { RoutingStrategy } from './router/router';

/** Options of `ClusterModule.forRoot()`. */
export interface ClusterModuleOptions {
  /**
   * etcd shared by discovery, etcd groups and binding storage, unless `config` sets theirs apart.
   * Endpoints as `host:port` (a list or a comma-separated string); prefix default `pitaya/`.
   */
  readonly etcd?: { readonly endpoints?: readonly string[] | string; readonly prefix?: string };
  /** Pitaya's cluster keys (`cluster.sd.etcd.*`, `cluster.rpc.*`, …); `PITAYA_*` variables override them. */
  readonly config?: ClusterConfigInput;
  /** Where groups live: this process (`memory`, default, like Pitaya) or etcd, shared by the cluster. */
  readonly groups?: 'memory' | 'etcd';
  /** Routing strategies for forwarded messages, one per server type; constructed by the container. */
  readonly routers?: readonly Type<RoutingStrategy>[];
  /** Keep `bindings/<type>/<uid>` in etcd (needed for pushes/kicks by uid and unique sessions across frontends). Default true. */
  readonly bindingStorage?: boolean;
  /** Replaces etcd discovery (fixed topologies, tests). */
  readonly discovery?: ServiceDiscovery;
  /** Environment used for `PITAYA_*` overrides (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Resolves the cluster configuration. Groups and binding storage follow discovery's etcd endpoints
 * and prefix unless their own keys are given, so one setting (or one `PITAYA_CLUSTER_SD_ETCD_ENDPOINTS`)
 * points a whole server at its etcd.
 */
export function resolveClusterConfig(options: ClusterModuleOptions, source?: ConfigSource): ClusterConfig {
  // `options.env` (tests) wins over the application's environment; the application's config file still applies.
  const env = options.env ? new ConfigSource(options.env, source?.file) : source ?? new ConfigSource(process.env);
  const input = options.config ?? {};
  const shared = { endpoints: options.etcd?.endpoints, prefix: options.etcd?.prefix };
  const withShared = {
    ...input,
    cluster: { ...input.cluster, sd: { ...input.cluster?.sd, etcd: { ...definedOnly(shared), ...input.cluster?.sd?.etcd } } },
  };
  const base = resolveConfig<ClusterConfig>(CLUSTER_CONFIG_KEYS.filter((k) => k.key.startsWith('cluster.')), withShared, env);
  const sd = base.cluster.sd.etcd;
  const follow = CLUSTER_CONFIG_KEYS.filter((k) => !k.key.startsWith('cluster.')).map((k) =>
    k.key.endsWith('.endpoints') ? { ...k, default: sd.endpoints } : k.key.endsWith('.prefix') ? { ...k, default: sd.prefix } : k,
  );
  const rest = resolveConfig<Omit<ClusterConfig, 'cluster'>>(follow, input, env);
  return { ...base, ...rest };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
