import { CompositeMetricsReporter, PrometheusReporter, resolveMetricsConfig } from '@pitaya-ts/observability';

describe('dropped RPC messages (NATS slow consumer)', () => {
  it('are exported as Pitaya\'s pitaya_rpc_server_dropped_messages gauge, through a composite reporter too', async () => {
    const prometheus = new PrometheusReporter(resolveMetricsConfig({}, {}), 'game');
    const composite = new CompositeMetricsReporter([prometheus]);
    expect(await prometheus.registry.getSingleMetricAsString('pitaya_rpc_server_dropped_messages')).toMatch(/pitaya_rpc_server_dropped_messages\{[^}]*serverType="game"[^}]*\} 0$/m);
    composite.rpcDropped();
    prometheus.rpcDropped();
    expect(await prometheus.registry.getSingleMetricAsString('pitaya_rpc_server_dropped_messages')).toMatch(/\} 2$/m);
  });
});
