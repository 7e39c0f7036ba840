import { injectable } from 'inversify';
import { Inject, SERVER_INFO, type PitayaModule, type ServerIdentity } from '@pitaya-ts/core';
import { RpcTransportServer } from '../rpc/rpc-transport';
import { BATCH_PUSH_METADATA_KEY, BATCH_PUSH_VERSION, MULTI_PUSH_METADATA_KEY, MULTI_PUSH_VERSION } from '../messaging/batch-push';
import { SERVICE_DISCOVERY, type ServiceDiscovery } from './service-discovery';

/**
 * Announces this server once it can serve (`afterInit`, after the acceptors opened), with what
 * its RPC server advertises (gRPC: the address it listens on), and withdraws it first at shutdown.
 * Registered as Pitaya's `serviceDiscovery` module, it also hands the discovery to code outside
 * the cluster module (`app.modules.get('serviceDiscovery').discovery`: metrics, readiness).
 */
@injectable('Singleton')
export class ServiceDiscoveryModule implements PitayaModule {
  constructor(
    @Inject(SERVICE_DISCOVERY) readonly discovery: ServiceDiscovery,
    private readonly rpcServer: RpcTransportServer,
    @Inject(SERVER_INFO) private readonly self: ServerIdentity,
  ) {}

  afterInit(): Promise<void> {
    // A frontend offers the batched push to the pitaya-ts servers that look for it (see batch-push.ts).
    const batch: Record<string, string> = this.self.frontend ? { [BATCH_PUSH_METADATA_KEY]: BATCH_PUSH_VERSION, [MULTI_PUSH_METADATA_KEY]: MULTI_PUSH_VERSION } : {};
    return this.discovery.start({ ...this.self, metadata: { ...this.self.metadata, ...this.rpcServer.advertisedMetadata, ...batch } });
  }

  beforeShutdown(): Promise<void> {
    return this.discovery.stop();
  }
}
