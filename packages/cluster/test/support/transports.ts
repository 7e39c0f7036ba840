import { startNats, type NatsHandle } from '@pitaya-ts/testing';
import type { RpcTransportKind } from '@pitaya-ts/cluster/internal';

/** The suites that run once per RPC transport iterate over this. */
export const TRANSPORTS: readonly RpcTransportKind[] = ['grpc', 'nats'];

/** What a suite needs to run its servers on one transport: a nats-server for NATS, nothing for gRPC. */
export interface TransportHarness {
  readonly kind: RpcTransportKind;
  /** The nats-server of a NATS run. */
  readonly nats: NatsHandle | undefined;
  /** `PITAYA_*` variables selecting the transport for a server process (`extra` per-transport keys added). */
  env(extra?: Readonly<Record<string, string>>): Record<string, string>;
  /** The same as `ClusterModule.forRoot({ config: { cluster: { rpc } } })` input. */
  rpcConfig(): { transport: RpcTransportKind; client?: { nats: { connect: string } }; server: { grpc: { port: number; host: string }; nats?: { connect: string } } };
  stop(): Promise<void>;
}

/** Starts what `kind` needs (a throwaway nats-server for NATS). */
export async function startTransport(kind: RpcTransportKind): Promise<TransportHarness> {
  const nats = kind === 'nats' ? await startNats() : undefined;
  return {
    kind,
    nats,
    env: (extra = {}) => ({
      PITAYA_CLUSTER_RPC_TRANSPORT: kind,
      ...(nats ? { PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT: nats.url, PITAYA_CLUSTER_RPC_SERVER_NATS_CONNECT: nats.url } : {}),
      ...extra,
    }),
    rpcConfig: () => ({
      transport: kind,
      ...(nats ? { client: { nats: { connect: nats.url } } } : {}),
      server: { grpc: { port: 0, host: '127.0.0.1' }, ...(nats ? { nats: { connect: nats.url } } : {}) },
    }),
    stop: async () => {
      await nats?.stop();
    },
  };
}
