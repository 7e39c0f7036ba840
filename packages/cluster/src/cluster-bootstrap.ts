import { injectable } from 'inversify';
import { Inject, ModuleRegistry, type OnAfterInit, type OnInit, type OnShutdown } from '@pitaya-ts/core';
import type { Etcd3 } from 'etcd3';
import { ETCD_CLIENT, FRONTEND_SWEEPER } from './cluster-tokens';
import { ServiceDiscoveryModule } from './discovery/service-discovery.module';
import { BindingStorageModule } from './modules/binding-storage.module';
import type { FrontendSweeper } from './modules/frontend-sweeper';
import { UniqueSessionModule } from './modules/unique-session.module';
import { RpcTransportClient, RpcTransportServer } from './rpc/rpc-transport';

/**
 * Registers the cluster's Pitaya modules in Go Pitaya's order: `rpcClient`, `rpcServer` and
 * `bindingStorage` first, the application's own modules, then `serviceDiscovery` and
 * `uniqueSession` last, so the server is announced only when everything else runs.
 */
@injectable('Singleton')
export class ClusterBootstrap implements OnInit, OnAfterInit, OnShutdown {
  constructor(
    private readonly modules: ModuleRegistry,
    private readonly rpcClient: RpcTransportClient,
    private readonly rpcServer: RpcTransportServer,
    private readonly bindingStorage: BindingStorageModule,
    private readonly discovery: ServiceDiscoveryModule,
    private readonly uniqueSession: UniqueSessionModule,
    @Inject(ETCD_CLIENT) private readonly etcd: Etcd3,
    @Inject(FRONTEND_SWEEPER) private readonly sweeper: FrontendSweeper | null,
  ) {}

  onInit(): void {
    this.modules.register('bindingStorage', this.bindingStorage, 'before');
    this.modules.register('rpcServer', this.rpcServer, 'before');
    this.modules.register('rpcClient', this.rpcClient, 'before');
  }

  onAfterInit(): void {
    this.modules.register('serviceDiscovery', this.discovery);
    this.modules.register('uniqueSession', this.uniqueSession);
    // After discovery: it sweeps after frontends that discovery no longer lists.
    if (this.sweeper) this.modules.register('frontendSweeper', this.sweeper);
  }

  onShutdown(): void {
    this.etcd.close();
  }
}
