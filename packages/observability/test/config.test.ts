/** Bad `pitaya.metrics.*` configuration stops start-up with a message naming the key. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapError, Module, Pitaya } from '@pitaya-ts/core';
import { ObservabilityModule, resolveMetricsConfig, type ObservabilityOptions } from '@pitaya-ts/observability';

const appWith = async (options: ObservabilityOptions, configFile?: string): Promise<void> => {
  @Module({ imports: [ObservabilityModule.forRoot({ env: {}, ...options })] })
  class AppModule {}
  const app = await Pitaya.create(AppModule, { serverType: 'room', frontend: false, configFile, env: {} });
  try {
    await app.start();
  } finally {
    await app.close();
  }
};

describe('metrics configuration', () => {
  it('has Pitaya defaults', () => {
    const { metrics } = resolveMetricsConfig({}, {});
    expect(metrics).toMatchObject({
      period: 15_000, game: '', constLabels: {}, additionalLabels: {},
      prometheus: { enabled: false, port: 9090 }, statsd: { enabled: false, host: 'localhost:9125', prefix: 'pitaya.', rate: 1 },
    });
  });

  it('takes PITAYA_METRICS_* variables, JSON for maps', () => {
    const { metrics } = resolveMetricsConfig({}, {
      PITAYA_METRICS_PROMETHEUS_ENABLED: 'true', PITAYA_METRICS_PROMETHEUS_PORT: '9191', PITAYA_METRICS_CONSTLABELS: '{"region":"eu"}',
    });
    expect(metrics.prometheus).toMatchObject({ enabled: true, port: 9191 });
    expect(metrics.constLabels).toEqual({ region: 'eu' });
  });

  it('refuses an unknown reporter, naming the key', async () => {
    await expect(appWith({ config: { metrics: { reporters: ['prometheus', 'graphite'] } } })).rejects.toThrow(
      /pitaya\.metrics\.reporters .*unknown reporter "graphite"/,
    );
    expect(() => resolveMetricsConfig({}, { PITAYA_METRICS_REPORTERS: 'influx' })).toThrow(/pitaya\.metrics\.reporters \(environment variable PITAYA_METRICS_REPORTERS\)/);
  });

  it('refuses a malformed custom metric spec, naming the key', async () => {
    const bad = (custom: unknown): Promise<void> => appWith({ config: { metrics: { custom: custom as never } } });
    await expect(bad({ counters: [{ name: 'bad-name', labels: [] }] })).rejects.toThrow(/pitaya\.metrics\.custom\.counters\[0\]\.name/);
    await expect(bad({ histograms: [{ name: 'h', labels: ['a'], buckets: [5, 1] }] })).rejects.toThrow(/pitaya\.metrics\.custom\.histograms\[0\]\.buckets/);
    await expect(bad({ summaries: [{ name: 's', labels: 'a' }] })).rejects.toThrow(/pitaya\.metrics\.custom\.summaries\[0\]\.labels/);
    await expect(bad({ timers: [] })).rejects.toThrow(/pitaya\.metrics\.custom\.timers/);
    await expect(bad({ counters: [{ name: 'a' }, { name: 'a' }] })).rejects.toThrow(/counters\[1\]\.name .*declared twice/);
    await expect(bad({ counters: [{ name: 'a', labels: ['x'] }] })).resolves.toBeUndefined();
  });

  it('reads pitaya.metrics.* from the configuration file and names file and line of a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-config-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(file, ['pitaya:', '  metrics:', '    constlabels:', '      region: eu', '    custom:', '      counters:', '        - name: bad-name', ''].join('\n'));
      await expect(appWith({}, file)).rejects.toThrow(/pitaya\.metrics\.custom\.counters\[0\]\.name \(file .*config\.yaml:\d+\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops start-up when the metrics port is in use, naming the key', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await appWith({ config: { metrics: { prometheus: { enabled: true, port, host: '127.0.0.1' } } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BootstrapError);
      expect((error as Error).message).toMatch(new RegExp(`pitaya\\.metrics\\.prometheus\\.port.*port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });
});
