import { Registry } from 'prom-client';
import { ResponseTimeStore } from '@pitaya-ts/observability';

describe('response-time store (summary + histogram without per-message hashing)', () => {
  const make = (): { store: ResponseTimeStore; registry: Registry } => {
    const store = new ResponseTimeStore({ percentiles: [0.5, 0.9, 0.99], buckets: [1e5, 1e6, 1e7], maxAgeSeconds: 600, ageBuckets: 5 });
    const registry = new Registry();
    for (const m of store.metrics('rt_ns', 'rt_hist_ns', 'response time')) registry.registerMetric(m as never);
    return { store, registry };
  };

  it('reports quantiles within 3 %, cumulative buckets, sum and count', async () => {
    const { store, registry } = make();
    const series = store.create({ route: 'a.b.c' });
    // 1..10000 µs, uniform: p50 ≈ 5 ms, p90 ≈ 9 ms, p99 ≈ 9.9 ms.
    for (let us = 1; us <= 10_000; us++) store.observe(series, us * 1000);
    const text = await registry.metrics();
    const sample = (line: string): number => Number(new RegExp(`^${line.replace(/[{}.+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)![1]);
    expect(sample('rt_ns{route="a.b.c",quantile="0.5"}') / 5e6).toBeCloseTo(1, 1);
    expect(Math.abs(sample('rt_ns{route="a.b.c",quantile="0.9"}') / 9e6 - 1)).toBeLessThan(0.03);
    expect(Math.abs(sample('rt_ns{route="a.b.c",quantile="0.99"}') / 9.9e6 - 1)).toBeLessThan(0.03);
    expect(sample('rt_ns_count{route="a.b.c"}')).toBe(10_000);
    expect(sample('rt_ns_sum{route="a.b.c"}')).toBe(((10_000 * 10_001) / 2) * 1000);
    expect(sample('rt_hist_ns_bucket{route="a.b.c",le="100000"}')).toBe(100);
    expect(sample('rt_hist_ns_bucket{route="a.b.c",le="1000000"}')).toBe(1000);
    expect(sample('rt_hist_ns_bucket{route="a.b.c",le="10000000"}')).toBe(10_000);
    expect(sample('rt_hist_ns_bucket{route="a.b.c",le="+Inf"}')).toBe(10_000);
    store.stop();
  });

  it('forgets observations older than the window, keeps the cumulative count', async () => {
    const { store, registry } = make();
    const series = store.create({ route: 'a.b.c' });
    for (let i = 0; i < 100; i++) store.observe(series, 5e9);
    for (let i = 0; i < 5; i++) store.rotate();
    store.observe(series, 2e6);
    const text = await registry.metrics();
    const p99 = Number(/^rt_ns\{route="a\.b\.c",quantile="0\.99"\} (\S+)$/m.exec(text)![1]);
    expect(Math.abs(p99 / 2e6 - 1)).toBeLessThan(0.03);
    expect(text).toMatch(/^rt_ns_count\{route="a\.b\.c"\} 101$/m);
    store.stop();
  });
});
