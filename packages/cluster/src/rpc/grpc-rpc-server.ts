import * as grpc from '@grpc/grpc-js';
import { Inject, LOGGER, type Logger, type PitayaModule } from '@pitaya-ts/core';
import { injectable } from 'inversify';
import { CLUSTER_CONFIG } from '../cluster-tokens';
import type { ClusterConfig } from '../cluster-config';
import { loadPitayaServiceDefinition } from '../protos/pitaya-service';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from '../protos/proto-types';
import { defaultAdvertisedHost, GrpcMetadataKey } from './grpc-address';
import { CallPacer } from './grpc-call-pacing';
import { raiseServerWindows } from './grpc-flow-control';
import { serverCredentials } from './grpc-tls';
import { RemoteService } from './remote-service';

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, ProtoInit<Res>>, callback: grpc.sendUnaryData<ProtoInit<Res>>) => void;

/**
 * The gRPC server of Pitaya's `protos.Pitaya` service. It listens in `init()` (port 0 picks a free
 * one) and advertises its own address in the server metadata (`grpcHost`, `grpcPort`), which Go
 * Pitaya makes every application do by hand. Application failures travel inside `protos.Response`;
 * only `PushToUser`/`KickUser` for an absent user answer a gRPC error, as Go does.
 */
@injectable('Singleton')
export class GrpcRpcServer implements PitayaModule {
  private server: grpc.Server | undefined;
  private boundPort = 0;
  /** One budget for every method: they share the loop turn (see `callsPerTurn`). */
  private readonly pacer: CallPacer;

  constructor(
    private readonly service: RemoteService,
    @Inject(CLUSTER_CONFIG) private readonly config: ClusterConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.pacer = new CallPacer(config.cluster.rpc.server.grpc.callsPerTurn);
  }

  /** Metadata to advertise through service discovery (valid after `init()`). */
  get advertisedMetadata(): Record<string, string> {
    const metadata: Record<string, string> = { [GrpcMetadataKey.Host]: this.advertisedHost, [GrpcMetadataKey.Port]: String(this.boundPort) };
    if (this.config.cluster.info.region) metadata[GrpcMetadataKey.Region] = this.config.cluster.info.region;
    return metadata;
  }

  private get advertisedHost(): string {
    return this.config.cluster.rpc.server.grpc.host || defaultAdvertisedHost();
  }

  get port(): number {
    return this.boundPort;
  }

  async init(): Promise<void> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      // Nothing here reads channelz; enabled, every call gets five tracking closures and a date per
      // message in and out (grpc-js's _channelzHandler instead of _streamHandler).
      'grpc.enable_channelz': 0,
    });
    server.addService(loadPitayaServiceDefinition(), {
      Call: this.unary<PitayaRequest, PitayaResponse>((r) => this.service.call(r)),
      PushToUser: this.unary<ProtoPush, PitayaResponse>((p) => this.service.pushToUser(p)),
      SessionBindRemote: this.unary<BindMsg, PitayaResponse>((m) => this.service.sessionBindRemote(m)),
      KickUser: this.unary<KickMsg, KickAnswer>((m) => this.service.kickUser(m)),
    });
    const { port, tls } = this.config.cluster.rpc.server.grpc;
    // Only the interface peers dial, unless told otherwise: the cluster plane is not for the world.
    const listenHost = this.config.cluster.rpc.server.grpc.listenHost || this.advertisedHost;
    const address = listenHost.includes(':') ? `[${listenHost}]:${port}` : `${listenHost}:${port}`;
    const credentials = serverCredentials(tls);
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, credentials, (error, bound) => {
        if (error) reject(new Error(`gRPC server cannot listen on ${address}: ${error.message}`, { cause: error }));
        else resolve(bound);
      });
    });
    // Before any peer can know the address (it is advertised after init), so every session gets it.
    if (!raiseServerWindows(server)) this.log.warn('grpc-js internals changed: gRPC connections keep the default 64 KiB receive window');
    this.server = server;
    this.log.info({ host: listenHost, port: this.boundPort, tls: Boolean(tls.cert) }, 'gRPC server listening');
  }

  /** Stops taking calls; lets running ones finish for a moment, then cuts. */
  async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 2000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private unary<Req, Res>(handle: (request: Req) => Promise<ProtoInit<Res>>): Unary<Req, Res> {
    const start = (call: grpc.ServerUnaryCall<Req, ProtoInit<Res>>, callback: grpc.sendUnaryData<ProtoInit<Res>>): void => {
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback({ code: grpc.status.NOT_FOUND, details: error instanceof Error ? error.message : String(error) }),
      );
    };
    return (call, callback) => this.pacer.submit(call, callback, start);
  }
}
