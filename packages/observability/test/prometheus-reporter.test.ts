/** The protection counters and the RPC-server gauge, read from the exposition `/metrics` serves. */
import { NoopMetricsReporter } from '@pitaya-ts/core';
import { CompositeMetricsReporter, PrometheusReporter, resolveMetricsConfig } from '@pitaya-ts/observability';

describe('Prometheus reporter: protection metrics', () => {
  it('counts malformed packets, slow consumers, refusals, RPC timeouts and dropped RPC messages', async () => {
    const reporter = new PrometheusReporter(resolveMetricsConfig({ metrics: { game: 'g', additionalLabels: { shard: 'none' } } }, {}), 'connector');
    reporter.malformedInput('INVALID_HEADER');
    reporter.malformedInput('INVALID_HEADER');
    reporter.slowConsumer();
    reporter.refused('handshake-timeout');
    reporter.rpcTimeout('room');
    reporter.rpcDropped();
    reporter.rpcDropped();
    const text = await reporter.metrics();
    reporter.close();
    const value = (series: string): number | undefined => {
      const line = text.split('\n').find((l) => l.startsWith(`${series}{`) || l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(text).toMatch(/^pitaya_acceptor_malformed_packets_total\{shard="none",reason="INVALID_HEADER",game="g",serverType="connector"\} 2$/m);
    expect(value('pitaya_acceptor_slow_consumers_total')).toBe(1);
    expect(text).toMatch(/^pitaya_acceptor_refused_total\{[^}]*reason="handshake-timeout"[^}]*\} 1$/m);
    expect(text).toMatch(/^pitaya_rpc_client_timeouts_total\{[^}]*serverType="room"[^}]*\} 1$/m);
    expect(value('pitaya_rpc_server_dropped_messages')).toBe(2);
    // Every series carries the additional label with its default.
    expect(text).toMatch(/^pitaya_acceptor_connected_clients\{shard="none",game="g",serverType="connector"\} 0$/m);
  });
});

describe('Prometheus reporter: handler delay', () => {
  it("exports Pitaya's pitaya_handler_handler_delay_ns summary (route, type, objectives 0.7/0.95/0.99, ns) and no histogram of it", async () => {
    const reporter = new PrometheusReporter(resolveMetricsConfig({ metrics: { game: 'g', additionalLabels: { shard: 'none' } } }, {}), 'connector');
    reporter.handlerDelay('connector.gate.ping', 'local', 2);
    reporter.handlerDelay('connector.gate.ping', 'local', 4);
    reporter.handlerDelay('room.room.join', 'remote', 0);
    const text = await reporter.metrics();
    reporter.close();
    expect(text).toContain('# HELP pitaya_handler_handler_delay_ns the delay to start processing a msg in nanoseconds');
    expect(text).toContain('# TYPE pitaya_handler_handler_delay_ns summary');
    expect(text).toMatch(/^pitaya_handler_handler_delay_ns_count\{shard="none",route="connector\.gate\.ping",type="local",game="g",serverType="connector"\} 2$/m);
    expect(text).toMatch(/^pitaya_handler_handler_delay_ns_sum\{[^}]*route="connector\.gate\.ping"[^}]*\} 6000000$/m);
    for (const q of ['0.7', '0.95', '0.99']) expect(text).toMatch(new RegExp(`^pitaya_handler_handler_delay_ns\\{[^}]*route="connector\\.gate\\.ping",type="local",[^}]*quantile="${q}"[^}]*\\} \\d`, 'm'));
    expect(text).toMatch(/^pitaya_handler_handler_delay_ns_count\{[^}]*route="room\.room\.join",type="remote"[^}]*\} 1$/m);
    expect(text).not.toContain('handler_delay_histogram');
  });

  it('composite: offers handlerDelay only when one of its reporters measures it', () => {
    const seen: number[] = [];
    const plain = new NoopMetricsReporter();
    const measuring = Object.assign(new NoopMetricsReporter(), { handlerDelay: (_r: string, _t: 'local' | 'remote', ms: number) => void seen.push(ms) });
    expect(new CompositeMetricsReporter([plain, plain]).handlerDelay).toBeUndefined();
    const composite = new CompositeMetricsReporter([plain, measuring]);
    composite.handlerDelay!('a.b', 'local', 7);
    expect(seen).toEqual([7]);
  });
});
