import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigSource, readConfigFile } from '@pitaya-ts/core';
import { resolveClusterConfig } from '../../src/cluster-options';

describe('cluster configuration from a Pitaya config.yaml', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'pitaya-cluster-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads viper-shaped keys, lets code and then PITAYA_* override them', () => {
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, [
      'pitaya:',
      '  cluster:',
      '    sd:',
      '      etcd:',
      '        endpoints: etcd-a:2379,etcd-b:2379',
      '        prefix: game/',
      '        syncservers:',
      '          interval: 30s',
      '    rpc:',
      '      client:',
      '        grpc:',
      '          requesttimeout: 2s',
      '',
    ].join('\n'));
    const source = new ConfigSource({ PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '750ms' }, readConfigFile(file));
    const config = resolveClusterConfig({ config: { cluster: { sd: { etcd: { prefix: 'code/' } } } } }, source);
    expect(config.cluster.sd.etcd.endpoints).toEqual(['etcd-a:2379', 'etcd-b:2379']);
    expect(config.cluster.sd.etcd.syncServers.interval).toBe(30_000);
    expect(config.cluster.sd.etcd.prefix).toBe('code/');
    expect(config.cluster.rpc.client.grpc.requestTimeout).toBe(750);
    // Binding storage follows discovery's etcd unless set apart, file or not.
    expect(config.modules.bindingStorage.etcd.endpoints).toEqual(['etcd-a:2379', 'etcd-b:2379']);
  });
});
