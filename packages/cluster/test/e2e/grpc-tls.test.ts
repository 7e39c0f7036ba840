/**
 * The cluster plane over TLS and mTLS (certificates from config, made by openssl for this run), and
 * the gRPC server bound to the advertised host rather than every interface.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, testCertificates, waitFor, type EtcdHandle, type TestCertificates } from '@pitaya-ts/testing';
import { Context, Handler, Module, Route, type PitayaApplication, type ModuleImport } from '@pitaya-ts/core';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import { ClusterModule, SERVICE_DISCOVERY, type ClusterConfigInput, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { GrpcRpcServer } from '@pitaya-ts/cluster/internal';
import { InProcessApps } from '../support/in-process-apps';

@Handler('svc')
class Svc {
  @Route()
  hello(ctx: Context): unknown {
    return { from: ctx.session.frontendId ? 'backend via frontend' : 'backend' };
  }
}

describe('gRPC cluster plane: TLS, mTLS and bind address', () => {
  let etcd: EtcdHandle;
  let certs: TestCertificates;
  let dir: string;
  const apps = new InProcessApps();
  const clients: PitayaClient[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    certs = testCertificates();
    dir = mkdtempSync(join(tmpdir(), 'pitaya-tls-test-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await apps.closeAll();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (root: ModuleImport, serverType: string, frontend: boolean): Promise<PitayaApplication> =>
    apps.start(root, serverType, frontend);
  const cluster = (prefix: string, rpc: ClusterConfigInput['cluster']) =>
    ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix },
      config: {
        cluster: {
          ...rpc,
          rpc: {
            server: { grpc: { port: 0, host: '127.0.0.1', ...rpc?.rpc?.server?.grpc } },
            client: { grpc: { requestTimeout: '3s', ...rpc?.rpc?.client?.grpc } },
          },
          sd: { etcd: { heartbeat: { ttl: '5s' } } },
        },
      },
    });
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** A frontend with `clientTls` calling an mTLS backend; resolves with the outcome of one request. */
  const frontendCalls = async (prefix: string, clientTls: Record<string, string> | undefined): Promise<{ ok: boolean; code?: string }> => {
    @Module({ imports: [cluster(prefix, { rpc: { client: { grpc: { tls: clientTls } } } })] }) class FrontendModule {}
    const frontend = await start(FrontendModule, 'connector', true);
    await waitFor(() => frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY).getServersByType('game').length === 1, { timeoutMs: 5000 });
    const client = await PitayaClient.connect(`ws://127.0.0.1:${frontend.listening[0]!.port}`, { requestTimeoutMs: 10_000 });
    clients.push(client);
    return client.request('game.svc.hello').then(
      () => ({ ok: true }),
      (e: unknown) => ({ ok: false, code: (e as ClientError).code }),
    );
  };

  it('mTLS: a frontend with a certificate of the cluster CA is served; without one, or with a stranger\'s, it is refused', async () => {
    const prefix = `tls-${Date.now()}/`;
    // Files for the backend, PEM text for the frontends: both forms are accepted.
    @Module({
      imports: [cluster(prefix, { rpc: { server: { grpc: { tls: { cert: file('server.crt', certs.server.cert), key: file('server.key', certs.server.key), ca: file('ca.crt', certs.ca) } } } } })],
      handlers: [Svc],
    })
    class BackendModule {}
    await start(BackendModule, 'game', false);

    expect(await frontendCalls(prefix, { ca: certs.ca, cert: certs.client.cert, key: certs.client.key })).toEqual({ ok: true });
    expect(await frontendCalls(prefix, { ca: certs.ca })).toEqual({ ok: false, code: 'PIT-500' });
    expect(await frontendCalls(prefix, { ca: certs.ca, cert: certs.stranger.cert, key: certs.stranger.key })).toEqual({ ok: false, code: 'PIT-500' });
    expect(await frontendCalls(prefix, undefined)).toEqual({ ok: false, code: 'PIT-500' });
  }, 60_000);

  it('TLS without client certificates; the server binds only the advertised host', async () => {
    const prefix = `tls1-${Date.now()}/`;
    @Module({
      imports: [cluster(prefix, { rpc: { server: { grpc: { tls: { cert: certs.server.cert, key: certs.server.key } } } } })],
      handlers: [Svc],
    })
    class BackendModule {}
    const backend = await start(BackendModule, 'game', false);
    expect(await frontendCalls(prefix, { ca: certs.ca, serverName: 'localhost' })).toEqual({ ok: true });

    const port = backend.get(GrpcRpcServer).port;
    const reachable = (host: string): Promise<boolean> => new Promise((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    expect(await reachable('127.0.0.1')).toBe(true);
    // Another interface of this machine, if it has one: nothing listens there (it used to be 0.0.0.0).
    const other = Object.values(networkInterfaces()).flat().find((a) => a?.family === 'IPv4' && !a.internal)?.address;
    if (other !== undefined) expect(await reachable(other)).toBe(false);
  }, 60_000);
});
