/**
 * The Prometheus reporter end to end: a frontend and a backend (real etcd, real gRPC) with the
 * reporter on, client traffic, and a real Prometheus (Debian's package) scraping both; every
 * assertion reads the series back through Prometheus's HTTP query API.
 */
import { randomUUID } from 'node:crypto';
import { Handler, Module, Route, Pitaya, PitayaError, rateLimiting, tcp, withWrappers, type Context, type PitayaApplication } from '@pitaya-ts/core';
import { ClusterModule } from '@pitaya-ts/cluster';
import { PitayaClient } from '@pitaya-ts/client/node';
import { startEtcd, startPrometheus, waitFor, type EtcdHandle, type PrometheusHandle } from '@pitaya-ts/testing';
import { CustomMetrics, ObservabilityModule, ObservabilityRuntime } from '@pitaya-ts/observability';

@Handler('room')
class RoomHandler {
  constructor(private readonly metrics: CustomMetrics) {}

  @Route()
  join(): { code: number } {
    this.metrics.reportCount('joins', { map: 'forest' });
    return { code: 200 };
  }

  @Route()
  fail(): never {
    throw new PitayaError('RH-001', 'room is full');
  }
}

@Handler('gate')
class GateHandler {
  @Route()
  ping(_ctx: Context): { pong: boolean } {
    return { pong: true };
  }
}

const metricsConfig = {
  metrics: {
    game: 'obs-test',
    prometheus: { enabled: true, port: 0, host: '127.0.0.1' },
    constLabels: { region: 'test' },
    custom: { counters: [{ subsystem: 'room', name: 'joins', help: 'room joins', labels: ['map'] }] },
  },
};

describe('Prometheus reporter, read back through a real Prometheus', () => {
  let etcd: EtcdHandle;
  let prometheus: PrometheusHandle;
  let backend: PitayaApplication;
  let frontend: PitayaApplication;
  const clients: PitayaClient[] = [];
  const prefix = `obs-${randomUUID()}/`;
  const cluster = (): ReturnType<typeof ClusterModule.forRoot> => ClusterModule.forRoot({
    etcd: { endpoints: [etcd.endpoint], prefix },
    config: { cluster: { rpc: { server: { grpc: { port: 0, host: '127.0.0.1', listenHost: '127.0.0.1' } } } } },
  });
  const metricsPort = (app: PitayaApplication): number => app.get(ObservabilityRuntime).address!.port;

  beforeAll(async () => {
    etcd = await startEtcd();
    @Module({ imports: [cluster(), ObservabilityModule.forRoot({ config: metricsConfig })], handlers: [RoomHandler] })
    class BackendModule {}
    @Module({ imports: [cluster(), ObservabilityModule.forRoot({ config: metricsConfig })], handlers: [GateHandler] })
    class FrontendModule {}
    backend = await Pitaya.create(BackendModule, { serverType: 'room', frontend: false });
    await backend.start();
    frontend = await Pitaya.create(FrontendModule, {
      serverType: 'connector',
      acceptors: [withWrappers(tcp({ port: 0, host: '127.0.0.1' }), rateLimiting({ limit: 5, intervalMs: 60_000 }))],
    });
    await frontend.start();
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${metricsPort(frontend)}`, `127.0.0.1:${metricsPort(backend)}`] });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await frontend?.close();
    await backend?.close();
    await prometheus?.stop();
    await etcd?.stop();
  });

  const connect = async (): Promise<PitayaClient> => {
    const client = await PitayaClient.connect(`tcp://127.0.0.1:${frontend.listening[0]!.port}`, { requestTimeoutMs: 5000 });
    clients.push(client);
    return client;
  };

  it('reports response times by route with status and code, handler delays, clients, servers by type, a custom metric and rate limiting', async () => {
    const client = await connect();
    // The backend must be discovered before forwarding works.
    await waitFor(async () => (await client.request('room.room.join', {}).catch(() => undefined)) !== undefined, { timeoutMs: 15_000 });
    await expect(client.request('room.room.fail', {})).rejects.toMatchObject({ code: 'RH-001' });
    await expect(client.request('connector.gate.nothere', {})).rejects.toMatchObject({ code: 'PIT-404' });
    await client.request('connector.gate.ping', {});

    // A second client exhausts its rate limit (5 data packets a minute): the 6th is dropped.
    const limited = await connect();
    for (let i = 0; i < 5; i++) await limited.request('connector.gate.ping', {});
    limited.notify('connector.gate.ping', {});

    const series = async (query: string, label?: Record<string, string>): Promise<number | undefined> => {
      const samples = await prometheus.query(query);
      const match = samples.find((s) => Object.entries(label ?? {}).every(([k, v]) => s.metric[k] === v));
      return match?.value;
    };
    const eventually = (query: string, check: (v: number | undefined) => boolean, label?: Record<string, string>): Promise<unknown> =>
      waitFor(async () => check(await series(query, label)), { timeoutMs: 30_000, intervalMs: 250, message: `${query} ${JSON.stringify(label ?? {})}` });

    // Forwarded request measured on the frontend (handler) and on the backend (rpc), ok and failed with its code.
    await eventually('pitaya_handler_response_time_ns_count{serverType="connector",route="room.room.join",status="ok",type="handler"}', (v) => (v ?? 0) >= 1);
    await eventually('pitaya_handler_response_time_ns_count{serverType="room",route="room.room.join",status="ok",type="rpc"}', (v) => (v ?? 0) >= 1);
    await eventually('pitaya_handler_response_time_ns_count{serverType="room",route="room.room.fail",status="failed",code="RH-001"}', (v) => v === 1);
    await eventually('pitaya_handler_response_time_ns{serverType="connector",route="connector.gate.ping",quantile="0.99"}', (v) => (v ?? 0) > 0);
    await eventually('pitaya_handler_response_time_histogram_ns_count{route="connector.gate.ping",status="ok"}', (v) => (v ?? 0) >= 6);
    // A route the client invented is labelled unknown, never with the client's string.
    await eventually('pitaya_handler_response_time_ns_count{serverType="connector",route="unknown",code="PIT-404"}', (v) => v === 1);
    expect(await prometheus.query('pitaya_handler_response_time_ns_count{route="connector.gate.nothere"}')).toEqual([]);
    // Pitaya's handler_delay_ns: queue wait before handling, by route and local/remote, same bounded route names.
    await eventually('pitaya_handler_handler_delay_ns_count{serverType="connector",route="connector.gate.ping",type="local"}', (v) => (v ?? 0) >= 6);
    await eventually('pitaya_handler_handler_delay_ns{serverType="connector",route="connector.gate.ping",type="local",quantile="0.99"}', (v) => v !== undefined && v >= 0);
    await eventually('pitaya_handler_handler_delay_ns_count{serverType="connector",route="room.room.join",type="remote"}', (v) => (v ?? 0) >= 1);
    await eventually('pitaya_handler_handler_delay_ns_count{serverType="connector",route="unknown",type="local"}', (v) => v === 1);
    // On the backend: the forwarded message's wait between the RPC server and its handler (gRPC queues nothing).
    await eventually('pitaya_handler_handler_delay_ns_count{serverType="room",route="room.room.join",type="remote"}', (v) => (v ?? 0) >= 1);
    expect(await prometheus.query('pitaya_handler_handler_delay_ns_count{route="connector.gate.nothere"}')).toEqual([]);
    // Const labels on every series.
    const [join] = await prometheus.query('pitaya_handler_response_time_ns_count{route="room.room.join",type="rpc"}');
    expect(join!.metric).toMatchObject({ game: 'obs-test', region: 'test', serverType: 'room' });

    await eventually('pitaya_acceptor_connected_clients{serverType="connector"}', (v) => v === 2);
    await eventually('pitaya_service_discovery_count_servers{serverType="connector",type="room"}', (v) => v === 1);
    await eventually('pitaya_service_discovery_count_servers{serverType="room",type="connector"}', (v) => v === 1);
    await eventually('pitaya_room_joins{serverType="room",map="forest"}', (v) => (v ?? 0) >= 1);
    await eventually('pitaya_acceptor_exceeded_rate_limiting{serverType="connector"}', (v) => v === 1);
    // Node's analogues of Pitaya's sys gauges.
    await eventually('pitaya_sys_heapsize{serverType="room"}', (v) => (v ?? 0) > 0);
    await eventually('nodejs_eventloop_lag_seconds{serverType="room"}', (v) => v !== undefined);

    // Closing a client is seen too.
    limited.close();
    await eventually('pitaya_acceptor_connected_clients{serverType="connector"}', (v) => v === 1);
  }, 90_000);

  it('serves liveness and readiness on the metrics port', async () => {
    const base = `http://127.0.0.1:${metricsPort(frontend)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, reasons: [] });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
