/**
 * HTTP/2 flow control of the gRPC cluster plane. With Node's default 64 KiB connection window, many
 * concurrent calls on one connection (a frontend forwarding for 1,000 players) leave some streams'
 * DATA deferred while newer streams go first, until they pass their deadline with the backend idle.
 * Both ends now raise the window: the server's checked on the wire, both under that load.
 */
import * as http2 from 'node:http2';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { Context, Module, Remote, Route, type ModuleImport, type PitayaApplication } from '@pitaya-ts/core';
import { ClusterModule, SERVICE_DISCOVERY, type ServiceDiscovery } from '@pitaya-ts/cluster';
import { GrpcRpcServer } from '@pitaya-ts/cluster/internal';
import { InProcessApps } from '../support/in-process-apps';

const DEFAULT_WINDOW = 65_535;

@Remote('echo')
class EchoRemote {
  @Route()
  back(_ctx: Context, body: { pad: string }): unknown {
    // The reply is as large as the request: both directions carry ~300 bytes per stream.
    return { pad: body.pad };
  }
}

describe('gRPC cluster plane: HTTP/2 flow-control windows', () => {
  let etcd: EtcdHandle;
  const apps = new InProcessApps();
  let backend: PitayaApplication;
  let frontend: PitayaApplication;

  beforeAll(async () => {
    etcd = await startEtcd();
    const cluster = ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix: `fc-${Date.now()}/` },
      config: {
        cluster: {
          rpc: { server: { grpc: { port: 0, host: '127.0.0.1' } }, client: { grpc: { requestTimeout: '4s' } } },
          sd: { etcd: { heartbeat: { ttl: '5s' } } },
        },
      },
    });
    @Module({ imports: [cluster], remotes: [EchoRemote] }) class BackendModule {}
    @Module({ imports: [cluster] }) class FrontendModule {}
    const start = (root: ModuleImport, type: string, isFrontend: boolean): Promise<PitayaApplication> => apps.start(root, type, isFrontend);
    backend = await start(BackendModule, 'echo', false);
    frontend = await start(FrontendModule, 'connector', true);
    const sd = frontend.get<ServiceDiscovery>(SERVICE_DISCOVERY);
    await waitFor(() => sd.getServersByType('echo').length === 1, { timeoutMs: 10_000, message: 'backend not discovered' });
  });
  afterAll(async () => {
    await apps.closeAll();
    await etcd?.stop();
  });

  it('the gRPC server grants each connection a receive window far above 64 KiB', async () => {
    const port = backend.get(GrpcRpcServer).port;
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      // The server's WINDOW_UPDATE follows its SETTINGS; what the client may send is the server's window.
      await waitFor(() => (session.state.remoteWindowSize ?? 0) > DEFAULT_WINDOW, {
        timeoutMs: 5000,
        message: `the server's connection window stayed at ${session.state.remoteWindowSize ?? '?'} bytes`,
      });
      expect(session.state.remoteWindowSize).toBeGreaterThanOrEqual(1024 * 1024);
    } finally {
      session.destroy();
    }
  });

  it('1,000 concurrent calls with 300-byte bodies both ways, sustained, all answer before their deadline', async () => {
    const pad = 'x'.repeat(300);
    const clients = 1000;
    const runMs = 5000;
    let answered = 0;
    const failures: string[] = [];
    const until = Date.now() + runMs;
    // Closed loop: each of 1,000 callers keeps one call in flight for 5 s, past the 4 s deadline, so
    // a stream starved by flow control would fail here instead of only being slow.
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < until) {
          try {
            const reply = (await frontend.rpc('echo.echo.back', { pad })) as { pad: string };
            if (reply.pad !== pad) failures.push('wrong reply');
            answered++;
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }),
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(answered).toBeGreaterThan(clients);
  }, 60_000);
});
