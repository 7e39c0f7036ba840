/**
 * Tracing across servers: a frontend and a backend in their own processes (real etcd, real gRPC)
 * export spans over OTLP/HTTP to a receiver this test runs. One client request gives one trace in
 * which the backend's server span is the child of the frontend's RPC client span; the `otel-span`
 * metadata a backend receives is a W3C carrier; and a request carrying `otel-span` as Go Pitaya
 * writes it continues the caller's trace.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Handler, Module, Route, Pitaya, type Context, type PitayaApplication } from '@pitaya-ts/core';
import { ClusterModule, loadPitayaServiceDefinition, RPCType, MsgType, type PitayaRequest, type PitayaResponse, type ProtoInit } from '@pitaya-ts/cluster';
import { PitayaClient } from '@pitaya-ts/client/node';
import { freePort, ServerProcess, startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';

const E2E_SERVER = path.resolve(__dirname, '../../../apps/e2e-server/dist/main.js');

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
  service: string;
}
const SERVER = 2;
const CLIENT = 3;
const attr = (span: OtlpSpan, key: string): string | undefined => span.attributes.find((a) => a.key === key)?.value.stringValue;

/** A minimal OTLP/HTTP JSON trace receiver. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Omit<OtlpSpan, 'service'>[] }[] }[];
        };
        for (const rs of parsed.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

@Handler('carrier')
class CarrierHandler {
  @Route()
  get(ctx: Context): { otelSpan: unknown; peer: unknown } {
    return { otelSpan: ctx.get('otel-span'), peer: ctx.get('peer.id') };
  }
}

describe('OpenTelemetry tracing across a frontend and a backend process', () => {
  let etcd: EtcdHandle;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let probe: PitayaApplication;
  const servers: ServerProcess[] = [];
  let frontend: ServerProcess;
  let backendGrpcPort: number;
  let client: PitayaClient;
  const prefix = `trace-${randomUUID()}/`;

  beforeAll(async () => {
    etcd = await startEtcd();
    receiver = await startReceiver();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SDK_DISABLED: 'false',
    };
    backendGrpcPort = await freePort();
    const start = (args: Record<string, string>): Promise<ServerProcess> =>
      ServerProcess.start(E2E_SERVER, { etcd: etcd.endpoint, sdprefix: prefix, observability: 'true', ...args }, { env });
    const [backend, front] = await Promise.all([
      start({ type: 'game', frontend: 'false', grpcport: String(backendGrpcPort) }),
      start({ type: 'connector' }),
    ]);
    servers.push(backend, front);
    frontend = front;
    // An in-process backend of another type shows what a backend receives in `otel-span`.
    @Module({
      imports: [ClusterModule.forRoot({
        etcd: { endpoints: [etcd.endpoint], prefix },
        config: { cluster: { rpc: { server: { grpc: { port: 0, host: '127.0.0.1', listenHost: '127.0.0.1' } } } } },
      })],
      handlers: [CarrierHandler],
    })
    class ProbeModule {}
    probe = await Pitaya.create(ProbeModule, { serverType: 'probe', frontend: false, logger: undefined });
    await probe.start();
    client = await PitayaClient.connect(`tcp://127.0.0.1:${frontend.tcpPort}`, { requestTimeoutMs: 5000 });
    await waitFor(async () => (await client.request('game.testsvc.testrequestonlysessionreturnsptr', {}).catch(() => undefined)) !== undefined
      && (await client.request('probe.carrier.get', {}).catch(() => undefined)) !== undefined, { timeoutMs: 20_000, message: 'backends discovered' });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await probe?.close();
    await receiver?.close();
    await etcd?.stop();
  });

  it('gives one trace: client message span → GRPC RPC Call (client) → backend server span', async () => {
    const route = 'game.testsvc.testrequestonlysessionreturnsptr';
    const before = receiver.spans.length;
    await client.request(route, {});
    const backendSpan = await waitFor(() => receiver.spans.slice(before).find((s) => s.service === 'game' && s.name === route && s.kind === SERVER), {
      timeoutMs: 15_000, message: 'backend span exported',
    });
    const trace = (): OtlpSpan[] => receiver.spans.filter((s) => s.traceId === backendSpan.traceId);
    const rpcClient = await waitFor(() => trace().find((s) => s.spanId === backendSpan.parentSpanId), { timeoutMs: 15_000, message: 'client span exported' });
    expect(rpcClient).toMatchObject({ name: 'GRPC RPC Call', kind: CLIENT, service: 'connector' });
    expect(attr(rpcClient, 'peer.serverType')).toBe('game');
    const messageSpan = await waitFor(() => trace().find((s) => s.spanId === rpcClient.parentSpanId), { timeoutMs: 15_000, message: 'message span exported' });
    expect(messageSpan).toMatchObject({ name: route, kind: SERVER, service: 'connector' });
    expect(messageSpan.parentSpanId ?? '').toBe('');
    expect(attr(messageSpan, 'msg.type')).toBe('request');
    expect(attr(backendSpan, 'peer.service')).toBe('connector');
    expect(attr(backendSpan, 'peer.id')).toBe(frontend.id);
    expect(new Set(trace().map((s) => s.traceId)).size).toBe(1);
  });

  it('sends otel-span as a W3C TraceContext carrier', async () => {
    const before = receiver.spans.length;
    const reply = (await client.request('probe.carrier.get', {})) as { otelSpan: Record<string, string> };
    expect(Object.keys(reply.otelSpan)).toContain('traceparent');
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(reply.otelSpan.traceparent!);
    expect(match).not.toBeNull();
    // The carrier names the frontend's RPC client span.
    const rpcClient = await waitFor(() => receiver.spans.slice(before).find((s) => s.name === 'GRPC RPC Call' && s.spanId === match![2]), {
      timeoutMs: 15_000, message: 'client span of the carrier',
    });
    expect(rpcClient.traceId).toBe(match![1]);
  });

  it('continues the trace of an incoming request whose otel-span was written as Go Pitaya writes it', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    // What Go Pitaya's buildRequest puts in Request.metadata (propagated context as JSON).
    const metadata = JSON.stringify({
      'peer.id': 'go-connector-1', 'peer.service': 'connector', 'request.id': 'nuid-1', 'req-route': 'game.testsvc.testrequestonlysessionreturnsptr',
      'otel-span': { traceparent: `00-${traceId}-${parentId}-01` },
    }).replace(/}$/, `,"req-start-time":${BigInt(Date.now()) * 1_000_000n}}`);
    const definition = loadPitayaServiceDefinition();
    const grpcClient = new grpc.Client(`127.0.0.1:${backendGrpcPort}`, grpc.credentials.createInsecure());
    const request: ProtoInit<PitayaRequest> = {
      type: RPCType.Sys,
      session: { id: 1, uid: '', data: Buffer.from('{}') },
      msg: { id: 1, route: 'game.testsvc.testrequestonlysessionreturnsptr', data: Buffer.from('{}'), type: MsgType.MsgRequest },
      frontendID: 'go-connector-1',
      metadata: Buffer.from(metadata),
    };
    try {
      const response = await new Promise<PitayaResponse>((resolve, reject) => {
        grpcClient.makeUnaryRequest(definition.Call.path, definition.Call.requestSerialize, definition.Call.responseDeserialize, request,
          new grpc.Metadata(), { deadline: Date.now() + 5000 }, (error, value) => (error ? reject(error) : resolve(value!)));
      });
      expect(response.error).toBeFalsy();
    } finally {
      grpcClient.close();
    }
    const span = await waitFor(() => receiver.spans.find((s) => s.traceId === traceId), { timeoutMs: 15_000, message: 'continued span' });
    expect(span).toMatchObject({ parentSpanId: parentId, kind: SERVER, service: 'game', name: 'game.testsvc.testrequestonlysessionreturnsptr' });
    expect(attr(span, 'peer.id')).toBe('go-connector-1');
    expect(attr(span, 'request.id')).toBe('nuid-1');
  });
});
