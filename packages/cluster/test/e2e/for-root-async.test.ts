import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { Context, createLogger, defineConfig, Handler, Module, Route, Pitaya, ws, type ConfigOf, type PitayaApplication, type ModuleImport } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { CLUSTER_CONFIG, ClusterModule, type ClusterConfig } from '@pitaya-ts/cluster';
import { uniquePrefix } from '../helpers';

@Handler('room')
class RoomHandler {
  @Route()
  hello(ctx: Context): unknown {
    return { from: ctx.route, backend: !ctx.session.isFrontend };
  }
}

/** The application's own settings, in the same config.yaml as Pitaya's keys. */
const gameSettings = defineConfig('game', z.object({ etcd: z.string(), prefix: z.string() }));
@Module({ providers: [gameSettings.provider], exports: [gameSettings.token] })
class SettingsModule {}

describe('ClusterModule.forRootAsync', () => {
  let etcd: EtcdHandle;
  let dir: string;
  const apps: PitayaApplication[] = [];
  const start = async (root: ModuleImport, serverType: string, frontend: boolean, configFile?: string): Promise<PitayaApplication> => {
    const app = await Pitaya.create(root, {
      serverType, frontend, configFile,
      acceptors: frontend ? [ws({ port: 0, host: '127.0.0.1' })] : [],
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      env: {},
    });
    await app.start();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    etcd = await startEtcd();
    dir = mkdtempSync(path.join(tmpdir(), 'pitaya-async-'));
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('configures discovery from an injected config section, and serves forwarded routes', async () => {
    const prefix = uniquePrefix();
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, [
      'pitaya:',
      '  cluster:',
      '    rpc:',
      '      server:',
      '        grpc:',
      '          port: 0',
      '          host: 127.0.0.1',
      'game:',
      `  etcd: ${etcd.endpoint}`,
      `  prefix: ${prefix}`,
      '',
    ].join('\n'));
    const asyncCluster = ClusterModule.forRootAsync({
      imports: [SettingsModule],
      inject: [gameSettings.token],
      useFactory: async (settings: ConfigOf<typeof gameSettings>) => ({ etcd: { endpoints: [settings.etcd], prefix: settings.prefix } }),
    });
    @Module({ imports: [asyncCluster], handlers: [RoomHandler] }) class BackendModule {}
    const backend = await start(BackendModule, 'room', false, file);
    const config = backend.get<ClusterConfig>(CLUSTER_CONFIG);
    expect(config.cluster.sd.etcd.endpoints).toEqual([etcd.endpoint]);
    expect(config.cluster.sd.etcd.prefix).toBe(prefix);
    expect(config.cluster.rpc.server.grpc.host).toBe('127.0.0.1'); // from the same file's pitaya: keys

    const cluster = ClusterModule.forRoot({
      etcd: { endpoints: [etcd.endpoint], prefix },
      config: { cluster: { rpc: { server: { grpc: { port: 0, host: '127.0.0.1' } } } } },
    });
    @Module({ imports: [cluster] }) class FrontendModule {}
    const frontend = await start(FrontendModule, 'connector', true);
    const client = await PitayaClient.connect(`ws://127.0.0.1:${frontend.listening[0]!.port}/`);
    try {
      // Discovery may need a moment to see the backend: retry until the route is served.
      const reply = await waitFor(() => client.request('room.room.hello', {}), { timeoutMs: 15_000, intervalMs: 100, message: 'the backend to serve room.room.hello' });
      expect(reply).toEqual({ from: 'room.room.hello', backend: true });
    } finally {
      await client.close();
    }
  });
});
