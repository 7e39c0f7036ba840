/** The protection counters and the RPC-server gauge, read from the exposition `/metrics` serves. */
import { PrometheusReporter, resolveMetricsConfig } from '@pitaya-ts/observability';

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
