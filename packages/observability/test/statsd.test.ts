/**
 * The StatsD reporter sends Pitaya's names and tags: a UDP socket stands in for the StatsD agent
 * and the test reads the datagrams a real server sends while a client talks to it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Handler, Module, Route, Pitaya, tcp, type PitayaApplication } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { waitFor } from '@pitaya-ts/testing';
import { CustomMetrics, ObservabilityModule, ObservabilityRuntime } from '@pitaya-ts/observability';

@Handler('room')
class RoomHandler {
  constructor(private readonly metrics: CustomMetrics) {}

  @Route()
  join(): { code: number } {
    this.metrics.reportHistogram('join_size', { map: 'forest' }, 3);
    return { code: 200 };
  }
}

describe('StatsD reporter', () => {
  let socket: Socket;
  let app: PitayaApplication;
  const lines: string[] = [];

  beforeAll(async () => {
    socket = createSocket('udp4');
    socket.on('message', (datagram) => lines.push(...datagram.toString().split('\n').filter((l) => l.length > 0)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    @Module({
      imports: [ObservabilityModule.forRoot({
        config: {
          metrics: {
            // Both reporters at once, as Pitaya allows.
            reporters: ['statsd', 'prometheus'],
            statsd: { host: `127.0.0.1:${port}` },
            prometheus: { port: 0, host: '127.0.0.1' },
            constLabels: { region: 'eu' },
            custom: { histograms: [{ subsystem: 'room', name: 'join_size', help: 'players in a join', labels: ['map'], buckets: [1, 5, 10] }] },
          },
        },
      })],
      handlers: [RoomHandler],
    })
    class AppModule {}
    app = await Pitaya.create(AppModule, { serverType: 'connector', acceptors: [tcp({ port: 0, host: '127.0.0.1' })] });
    await app.start();
  });

  afterAll(async () => {
    await app?.close();
    socket?.close();
  });

  it('sends response times, handler delays, connected clients and custom metrics with Pitaya names and tags', async () => {
    const client = await PitayaClient.connect(`tcp://127.0.0.1:${app.listening[0]!.port}`, { requestTimeoutMs: 5000 });
    await client.request('connector.room.join', {});
    await expect(client.request('connector.room.nope', {})).rejects.toMatchObject({ code: 'PIT-404' });
    await client.close();

    const find = (prefix: string, ...tags: string[]): Promise<string> =>
      waitFor(() => lines.find((l) => l.startsWith(prefix) && tags.every((t) => l.includes(t))), { timeoutMs: 10_000, message: `${prefix} ${tags.join(',')}` });
    const ok = await find('pitaya.response_time_ns:', 'route:connector.room.join');
    expect(ok).toMatch(/^pitaya\.response_time_ns:\d+\|ms\|#/);
    const tags = ok.split('|#')[1]!.split(',');
    expect(tags).toEqual(expect.arrayContaining(['serverType:connector', 'region:eu', 'route:connector.room.join', 'status:ok', 'type:handler', 'code:']));
    await find('pitaya.response_time_ns:', 'route:unknown', 'status:failed', 'code:PIT-404');
    expect(lines.some((l) => l.includes('connector.room.nope'))).toBe(false);
    // Pitaya's handler_delay_ns: a timing in ns with only route and type (local: this server's route).
    const delay = await find('pitaya.handler_delay_ns:', 'route:connector.room.join');
    expect(delay).toMatch(/^pitaya\.handler_delay_ns:\d+\|ms\|#/);
    const delayTags = delay.split('|#')[1]!.split(',');
    expect(delayTags).toEqual(expect.arrayContaining(['serverType:connector', 'region:eu', 'route:connector.room.join', 'type:local']));
    expect(delayTags.some((t) => t.startsWith('status:') || t.startsWith('code:'))).toBe(false);
    await find('pitaya.handler_delay_ns:', 'route:unknown', 'type:local');
    await find('pitaya.connected_clients:1|g', 'serverType:connector');
    await find('pitaya.connected_clients:0|g');
    const custom = await find('pitaya.join_size:3|h', 'map:forest');
    expect(custom).toContain('serverType:connector');

    // The Prometheus reporter saw the same messages.
    const metrics = await (await fetch(`http://127.0.0.1:${app.get(ObservabilityRuntime).address!.port}/metrics`)).text();
    expect(metrics).toMatch(/^pitaya_handler_response_time_ns_count\{route="connector\.room\.join",status="ok",type="handler",code="",[^}]*\} 1$/m);
    expect(metrics).toMatch(/^pitaya_handler_handler_delay_ns_count\{route="connector\.room\.join",type="local",[^}]*\} 1$/m);
    expect(metrics).toMatch(/^pitaya_room_join_size_count\{[^}]*map="forest"[^}]*\} 1$/m);
  });

  it('refuses an undeclared custom metric or a wrong label set', () => {
    const metrics = app.get(CustomMetrics);
    expect(() => metrics.reportCount('nope', {})).toThrow('the provided metric does not exist');
    expect(() => metrics.reportHistogram('join_size', { mapp: 'x' }, 1)).toThrow('takes the labels [map], got [mapp]');
    expect(() => metrics.reportHistogram('join_size', {}, 1)).toThrow('takes the labels [map]');
  });
});
