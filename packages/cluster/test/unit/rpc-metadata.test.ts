import fc from 'fast-check';
import { type ServerInfo } from '@pitaya-ts/cluster';
import { formatGoDuration } from '@pitaya-ts/core';
import { decodeRequestMetadata, encodeRequestMetadata, grpcAddressOf, resolveClusterConfig } from '@pitaya-ts/cluster/internal';

describe('RPC request metadata (what a Go server needs)', () => {
  it('always carries peer.id, peer.service, request.id, req-route, reqTimeout as a Go duration, and req-start-time as an integer', () => {
    const bytes = encodeRequestMetadata({ id: 'fe-1', type: 'connector' }, 'room.room.join', 5000, { custom: 'x', 'peer.id': 'spoofed' }, 'rid-1');
    const text = bytes.toString();
    expect(text).toMatch(/^\{"custom":"x","peer\.id":"fe-1","peer\.service":"connector","request\.id":"rid-1","req-route":"room\.room\.join","reqTimeout":"5s","req-start-time":\d{19}\}$/);
    const startNs = BigInt(/"req-start-time":(\d+)/.exec(text)![1]!);
    expect(Number(startNs / 1_000_000n)).toBeGreaterThan(Date.now() - 5000);
    expect(decodeRequestMetadata(bytes)).toMatchObject({ 'peer.id': 'fe-1', reqTimeout: '5s', custom: 'x' });
  });

  it('formats per-call timeouts like Go (1m30s, 250ms)', () => {
    expect(JSON.parse(encodeRequestMetadata({ id: 'a', type: 'b' }, 'r', 90_000).toString()).reqTimeout).toBe('1m30s');
    expect(JSON.parse(encodeRequestMetadata({ id: 'a', type: 'b' }, 'r', 250).toString()).reqTimeout).toBe('250ms');
  });

  it('writes exactly what the object-and-JSON.stringify encoding wrote, for any identity, route, timeout and propagated values', () => {
    // The encoding before the cached template-string fast path, kept as the reference.
    const OWN = new Set(['peer.id', 'peer.service', 'request.id', 'req-route', 'reqTimeout', 'req-start-time']);
    const reference = (self: { id: string; type: string }, route: string, timeoutMs: number, propagated: Record<string, unknown> | undefined, requestId: string): string => {
      const values: Record<string, unknown> = {};
      if (propagated) for (const [key, value] of Object.entries(propagated)) if (!OWN.has(key)) values[key] = value;
      values['peer.id'] = self.id;
      values['peer.service'] = self.type;
      values['request.id'] = requestId;
      values['req-route'] = route;
      values.reqTimeout = formatGoDuration(timeoutMs);
      const json = JSON.stringify(values);
      return `${json.slice(0, -1)},"req-start-time":${BigInt(Date.now()) * 1_000_000n}}`;
    };
    const now = jest.spyOn(Date, 'now');
    try {
      const text = fc.string({ unit: 'binary', maxLength: 20 });
      const identity = fc.record({ id: text, type: text });
      const propagated = fc.option(fc.dictionary(fc.oneof(text, fc.constantFrom('peer.id', 'reqTimeout', 'otel-span')), fc.jsonValue(), { maxKeys: 4 }), { nil: undefined });
      fc.assert(
        fc.property(fc.array(fc.tuple(identity, text, fc.oneof(fc.constant(5000), fc.integer({ min: 0, max: 10_000_000 })), propagated, text), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4_000_000_000_000 }), (calls, nowMs) => {
          now.mockReturnValue(nowMs);
          // Several calls in a row exercise the identity and timeout caches, hits and misses alike.
          for (const [self, route, timeoutMs, values, requestId] of calls) {
            expect(encodeRequestMetadata(self, route, timeoutMs, values, requestId).toString()).toBe(reference(self, route, timeoutMs, values, requestId));
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      now.mockRestore();
    }
  });

  it('reads empty, invalid or polluting metadata as an empty context', () => {
    expect(decodeRequestMetadata(Buffer.alloc(0))).toEqual({});
    expect(decodeRequestMetadata(Buffer.from('not json'))).toEqual({});
    expect(decodeRequestMetadata(Buffer.from('{"__proto__":{"x":1}}'))).toEqual({});
  });
});

describe('gRPC address selection (Pitaya getServerHost)', () => {
  const server = (metadata: Record<string, string>): ServerInfo => ({ id: 's', type: 't', metadata, frontend: false, hostname: 'h' });
  it('uses grpcHost/grpcPort, the external address without a region, and the internal one in the same region', () => {
    expect(grpcAddressOf(server({ grpcHost: '10.0.0.1', grpcPort: '3434' }), '')).toBe('10.0.0.1:3434');
    expect(grpcAddressOf(server({ grpcHost: '10.0.0.1', grpcPort: '3434', 'grpc-external-host': '1.2.3.4', 'grpc-external-port': '443' }), '')).toBe('1.2.3.4:443');
    const regional = { grpcHost: '10.0.0.1', grpcPort: '3434', 'grpc-external-host': '1.2.3.4', 'grpc-external-port': '443', region: 'us' };
    expect(grpcAddressOf(server(regional), 'us')).toBe('10.0.0.1:3434');
    expect(grpcAddressOf(server(regional), 'eu')).toBe('1.2.3.4:443');
    expect(grpcAddressOf(server({ grpcHost: '::1', grpcPort: '1' }), '')).toBe('[::1]:1');
    expect(grpcAddressOf(server({}), '')).toBeUndefined();
  });
});

describe('cluster configuration', () => {
  it('has Pitaya\'s defaults', () => {
    const config = resolveClusterConfig({ env: {} });
    expect(config.cluster.sd.etcd).toMatchObject({ endpoints: ['localhost:2379'], prefix: 'pitaya/', heartbeat: { ttl: 60_000 } });
    expect(config.cluster.rpc.client.grpc.requestTimeout).toBe(5000);
    expect(config.cluster.rpc.server.grpc.port).toBe(3434);
    expect(config.modules.bindingStorage.etcd.leaseTtl).toBe(5 * 3_600_000);
  });

  it('points groups and binding storage at discovery\'s etcd unless set apart, env over code', () => {
    const config = resolveClusterConfig({
      etcd: { endpoints: 'a:1,b:2', prefix: 'game/' },
      config: { groups: { etcd: { prefix: 'groups/' } } },
      env: { PITAYA_CLUSTER_SD_ETCD_HEARTBEAT_TTL: '3s', PITAYA_CLUSTER_RPC_CLIENT_GRPC_REQUESTTIMEOUT: '1500ms' },
    });
    expect(config.cluster.sd.etcd.endpoints).toEqual(['a:1', 'b:2']);
    expect(config.groups.etcd).toMatchObject({ endpoints: ['a:1', 'b:2'], prefix: 'groups/' });
    expect(config.modules.bindingStorage.etcd).toMatchObject({ endpoints: ['a:1', 'b:2'], prefix: 'game/' });
    expect(config.cluster.sd.etcd.heartbeat.ttl).toBe(3000);
    expect(config.cluster.rpc.client.grpc.requestTimeout).toBe(1500);
    expect(() => resolveClusterConfig({ env: { PITAYA_CLUSTER_RPC_SERVER_GRPC_PORT: '70000' } })).toThrow('pitaya.cluster.rpc.server.grpc.port');
  });
});
