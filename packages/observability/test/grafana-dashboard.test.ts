/** The Grafana dashboard only queries metrics the reporter exports (a renamed metric would leave a panel empty). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PrometheusReporter, resolveMetricsConfig } from '@pitaya-ts/observability';

describe('Grafana dashboard', () => {
  it('uses only metric names the Prometheus reporter exports', async () => {
    const dashboard = JSON.parse(readFileSync(path.resolve(__dirname, '../grafana/pitaya-ts.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const reporter = new PrometheusReporter(resolveMetricsConfig({}, {}), 'connector');
    const exposition = await reporter.metrics();
    reporter.close();
    const exported = new Set([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === 'summary' ? [name!, `${name}_sum`, `${name}_count`] : [name!]));
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b(pitaya_[a-z_]+|nodejs_[a-z0-9_]+)\b/g)].map((m) => m[1]!)));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });
});
