import { CONFIG_SOURCE, FORWARDER, GROUPS, LOGGER, Module, RPC_CLIENT, SERVER_INFO, USER_MESSENGER, type AsyncModuleOptions, type ConfigSource, type DynamicModule, type Logger, type Provider, type ServerIdentity, type UserMessenger } from '@pitaya-ts/core';
import type { Etcd3 } from 'etcd3';
import { ClusterBootstrap } from './cluster-bootstrap';
import type { ClusterConfig } from './cluster-config';
import { resolveClusterConfig, type ClusterModuleOptions } from './cluster-options';
import { CLUSTER_CONFIG, CLUSTER_OPTIONS, ETCD_CLIENT, FRONTEND_SWEEPER, ROUTING_STRATEGIES } from './cluster-tokens';
import { EtcdServiceDiscovery } from './discovery/etcd-service-discovery';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from './discovery/service-discovery';
import { ServiceDiscoveryModule } from './discovery/service-discovery.module';
import { createEtcdClient } from './etcd/etcd-client';
import { EtcdGroups } from './groups/etcd-groups';
import { ClusterUserMessenger } from './messaging/cluster-user-messenger';
import { EtcdBindingStorage } from './modules/binding-storage';
import { BINDING_STORAGE, BindingStorageModule } from './modules/binding-storage.module';
import { FrontendSweeper } from './modules/frontend-sweeper';
import { UniqueSessionModule } from './modules/unique-session.module';
import { SysRemote } from './remote/sys-remote';
import { Router } from './router/router';
import { ServerHealth } from './router/server-health';
import { ClusterRpcClient } from './rpc/cluster-rpc-client';
import { GrpcRpcClient } from './rpc/grpc-rpc-client';
import { GrpcRpcServer } from './rpc/grpc-rpc-server';
import { RpcTransportClient, RpcTransportServer } from './rpc/rpc-transport';
import { NatsRpcClient } from './nats/nats-rpc-client';
import { NatsRpcServer } from './nats/nats-rpc-server';
import { RemoteDispatcher } from './rpc/remote-dispatcher';
import { RemoteForwarder } from './rpc/remote-forwarder';
import { RemoteService } from './rpc/remote-service';
import { SysCaller } from './rpc/sys-caller';
import { BackendSessionServices } from './session/backend-session';

const sameEtcd = (a: { endpoints: readonly string[] }, b: { endpoints: readonly string[] }): boolean =>
  a.endpoints.join(',') === b.endpoints.join(',');

/**
 * Cluster mode: etcd service discovery, RPC server and client over gRPC (default) or NATS
 * (`cluster.rpc.transport`), forwarding of other server
 * types' routes, backend sessions, user RPCs, pushes and kicks by uid across frontends, binding
 * storage, unique sessions, and optionally etcd groups — each bound to the token it replaces, so
 * the rest of the application does not change. Standalone mode is simply not importing it.
 *
 * @example
 * ```ts
 * @Module({ imports: [ClusterModule.forRoot({ etcd: { endpoints: ['127.0.0.1:2379'] } })], handlers: [RoomHandler] })
 * class RoomModule {}
 * ```
 */
@Module({})
export class ClusterModule {
  /**
   * `forRoot` with its options built by a factory from injected values (a config section, a
   * secret store), NestJS-style. What decides which providers exist (`groups`, `routers`,
   * `bindingStorage`) is given here directly; everything else (etcd, `config`) comes from the
   * factory. `discovery` and `env` are not available here.
   *
   * @example
   * ```ts
   * ClusterModule.forRootAsync({
   *   imports: [SettingsModule], inject: [settings.token],
   *   useFactory: (s: Settings) => ({ etcd: { endpoints: s.etcdEndpoints } }),
   * })
   * ```
   */
  static forRootAsync(
    options: AsyncModuleOptions<Omit<ClusterModuleOptions, 'discovery' | 'env' | 'groups' | 'routers' | 'bindingStorage'>> &
      Pick<ClusterModuleOptions, 'groups' | 'routers' | 'bindingStorage'>,
  ): DynamicModule {
    const { imports, inject, useFactory, ...structural } = options;
    const base = ClusterModule.forRoot(structural);
    const replaced: Provider[] = (base.providers ?? []).map((provider) => {
      const token = typeof provider === 'function' ? provider : provider.provide;
      if (token === CLUSTER_OPTIONS) {
        return { provide: CLUSTER_OPTIONS, useFactory: async (...deps: never[]) => ({ ...(await useFactory(...deps)), ...structural }), inject };
      }
      if (token === CLUSTER_CONFIG) {
        return {
          provide: CLUSTER_CONFIG,
          useFactory: (resolved: ClusterModuleOptions, source: ConfigSource) => resolveClusterConfig(resolved, source),
          inject: [CLUSTER_OPTIONS, CONFIG_SOURCE],
        };
      }
      return provider;
    });
    return { ...base, imports: [...(base.imports ?? []), ...(imports ?? [])], providers: replaced };
  }

  static forRoot(options: ClusterModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: CLUSTER_OPTIONS, useValue: options },
      // The configuration file and environment of Pitaya.create (CONFIG_SOURCE) apply to the cluster keys too.
      { provide: CLUSTER_CONFIG, useFactory: (source: ConfigSource) => resolveClusterConfig(options, source), inject: [CONFIG_SOURCE] },
      {
        provide: ETCD_CLIENT,
        useFactory: (config: ClusterConfig) => {
          const sd = config.cluster.sd.etcd;
          return createEtcdClient({ endpoints: sd.endpoints, dialTimeoutMs: sd.dialTimeout, username: sd.user || undefined, password: sd.pass || undefined });
        },
        inject: [CLUSTER_CONFIG],
      },
      {
        provide: SERVICE_DISCOVERY,
        useFactory: (config: ClusterConfig, client: Etcd3, log: Logger) => {
          if (options.discovery) return options.discovery;
          const sd = config.cluster.sd.etcd;
          return new EtcdServiceDiscovery({
            prefix: sd.prefix,
            dialTimeoutMs: sd.dialTimeout,
            heartbeatTtlSeconds: Math.max(1, Math.round(sd.heartbeat.ttl / 1000)),
            syncIntervalMs: sd.syncServers.interval,
            revokeTimeoutMs: sd.revoke.timeout,
            shutdownDelayMs: sd.shutdown.delay,
            serverTypesBlacklist: sd.serverTypesBlacklist,
          }, { logger: log, client });
        },
        inject: [CLUSTER_CONFIG, ETCD_CLIENT, LOGGER],
      },
      {
        provide: BINDING_STORAGE,
        useFactory: (config: ClusterConfig, client: Etcd3, server: ServerIdentity, log: Logger) => {
          if (options.bindingStorage === false) return null;
          const etcd = config.modules.bindingStorage.etcd;
          return new EtcdBindingStorage(
            { endpoints: etcd.endpoints, dialTimeoutMs: etcd.dialTimeout, prefix: etcd.prefix, leaseTtlSeconds: Math.round(etcd.leaseTtl / 1000) },
            { server, logger: log, client: sameEtcd(etcd, config.cluster.sd.etcd) ? client : undefined },
          );
        },
        inject: [CLUSTER_CONFIG, ETCD_CLIENT, SERVER_INFO, LOGGER],
      },
      {
        provide: FRONTEND_SWEEPER,
        useFactory: (config: ClusterConfig, client: Etcd3, server: ServerIdentity, discovery: ServiceDiscovery, log: Logger) => {
          const sd = config.cluster.sd.etcd;
          const bindings = config.modules.bindingStorage.etcd;
          if (!server.frontend || options.bindingStorage === false || options.discovery || !sameEtcd(bindings, sd)) return null;
          const groups = config.groups.etcd;
          const groupsPrefix = options.groups === 'etcd' && sameEtcd(groups, sd) ? groups.prefix : undefined;
          return new FrontendSweeper({ self: server, bindingsPrefix: bindings.prefix, groupsPrefix }, { client, discovery, logger: log });
        },
        inject: [CLUSTER_CONFIG, ETCD_CLIENT, SERVER_INFO, SERVICE_DISCOVERY, LOGGER],
      },
      ...(options.routers ?? []),
      {
        provide: ROUTING_STRATEGIES,
        useFactory: (...strategies: unknown[]) => strategies,
        inject: [...(options.routers ?? [])],
      },
      GrpcRpcClient, GrpcRpcServer, NatsRpcClient, NatsRpcServer,
      // The one place the transport is chosen (`cluster.rpc.transport`); the other is built but never started.
      {
        provide: RpcTransportClient,
        useFactory: (config: ClusterConfig, grpc: GrpcRpcClient, nats: NatsRpcClient): RpcTransportClient => (config.cluster.rpc.transport === 'nats' ? nats : grpc),
        inject: [CLUSTER_CONFIG, GrpcRpcClient, NatsRpcClient],
      },
      {
        provide: RpcTransportServer,
        useFactory: (config: ClusterConfig, grpc: GrpcRpcServer, nats: NatsRpcServer): RpcTransportServer => (config.cluster.rpc.transport === 'nats' ? nats : grpc),
        inject: [CLUSTER_CONFIG, GrpcRpcServer, NatsRpcServer],
      },
      RemoteService, RemoteDispatcher, BackendSessionServices, SysCaller, Router, ServerHealth,
      BindingStorageModule, UniqueSessionModule, ServiceDiscoveryModule, ClusterUserMessenger, ClusterRpcClient, RemoteForwarder,
      { provide: RPC_CLIENT, useExisting: ClusterRpcClient },
      { provide: FORWARDER, useExisting: RemoteForwarder },
      { provide: USER_MESSENGER, useExisting: ClusterUserMessenger },
      ClusterBootstrap,
    ];
    if (options.groups === 'etcd') {
      providers.push({
        provide: GROUPS,
        useFactory: (config: ClusterConfig, client: Etcd3, messenger: UserMessenger, log: Logger) => {
          const etcd = config.groups.etcd;
          return new EtcdGroups(
            { endpoints: etcd.endpoints, dialTimeoutMs: etcd.dialTimeout, prefix: etcd.prefix, transactionTimeoutMs: etcd.transactionTimeout },
            { messenger, logger: log, client: sameEtcd(etcd, config.cluster.sd.etcd) ? client : undefined },
          );
        },
        inject: [CLUSTER_CONFIG, ETCD_CLIENT, USER_MESSENGER, LOGGER],
      });
    }
    return { module: ClusterModule, providers, remotes: [SysRemote] };
  }
}
