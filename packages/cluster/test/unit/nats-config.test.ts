import { resolveClusterConfig } from '@pitaya-ts/cluster/internal';

describe('cluster.rpc transport keys', () => {
  it('default to gRPC, with Pitaya\'s NATS defaults ready (spec §8)', () => {
    const { rpc } = resolveClusterConfig({ env: {} }).cluster;
    expect(rpc.transport).toBe('grpc');
    expect(rpc.client.nats).toEqual({
      connect: 'nats://localhost:4222', requestTimeout: 5000, connectionTimeout: 2000, maxReconnectionRetries: 15,
      reconnectWait: 1000, reconnectJitter: 100, reconnectJitterTls: 1000, pingInterval: 120_000, maxPingsOutstanding: 3, websocketCompression: true,
    });
    expect(rpc.server.nats).toMatchObject({ connect: 'nats://localhost:4222', connectionTimeout: 2000, services: 30, buffer: { messages: 75, push: 100 } });
  });

  it('take Pitaya\'s environment variables', () => {
    const { rpc } = resolveClusterConfig({
      env: {
        PITAYA_CLUSTER_RPC_TRANSPORT: 'nats',
        PITAYA_CLUSTER_RPC_CLIENT_NATS_CONNECT: 'nats://10.0.0.7:4222',
        PITAYA_CLUSTER_RPC_CLIENT_NATS_REQUESTTIMEOUT: '250ms',
        PITAYA_CLUSTER_RPC_SERVER_NATS_BUFFER_MESSAGES: '10',
        PITAYA_CLUSTER_RPC_SERVER_NATS_RECONNECTJITTERTLS: '2s',
      },
    }).cluster;
    expect(rpc.transport).toBe('nats');
    expect(rpc.client.nats.connect).toBe('nats://10.0.0.7:4222');
    expect(rpc.client.nats.requestTimeout).toBe(250);
    expect(rpc.server.nats.buffer.messages).toBe(10);
    expect(rpc.server.nats.reconnectJitterTls).toBe(2000);
  });

  it('refuse an unknown transport and a zero NATS buffer, naming the key', () => {
    expect(() => resolveClusterConfig({ env: { PITAYA_CLUSTER_RPC_TRANSPORT: 'zmq' } })).toThrow(/cluster\.rpc\.transport|TRANSPORT/);
    expect(() => resolveClusterConfig({ env: {}, config: { cluster: { rpc: { server: { nats: { buffer: { messages: 0 } } } } } } })).toThrow(/buffer\.messages/);
  });
});
