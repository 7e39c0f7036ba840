import { createServer, type Server } from 'node:http';
import { PITAYA_ROUTES } from '../servers/bench-routes';
import { startScript } from './node-server';
import type { RunningTarget, StartOptions, TargetContext, TargetDefinition } from './target';

/** An OTLP/HTTP endpoint that accepts and discards spans, in the orchestrator (its CPU is not the server's). */
async function startSpanSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function observedTarget(kind: 'prometheus' | 'tracing'): TargetDefinition {
  return {
    id: kind === 'prometheus' ? 'pitaya-prometheus' : 'pitaya-tracing',
    label: kind === 'prometheus' ? 'pitaya-ts, Prometheus reporter on' : 'pitaya-ts, tracing sampled at 100 %',
    description: kind === 'prometheus'
      ? 'the standalone app with `ObservabilityModule` and `pitaya.metrics.prometheus.enabled` (every message observed in the response-time summary and histogram)'
      : 'the standalone app with `ObservabilityModule({ tracing: true })`, `OTEL_TRACES_SAMPLER=always_on`, spans batched over OTLP/HTTP to a sink in the orchestrator',
    unavailable: () => undefined,
    async start(ctx: TargetContext, options?: StartOptions): Promise<RunningTarget> {
      const sink = kind === 'tracing' ? await startSpanSink() : undefined;
      try {
        const { process: p, ready } = await startScript(ctx, {
          label: this.label,
          script: 'pitaya-standalone.js',
          listens: true,
          env: {
            BENCH_OBSERVABILITY: kind,
            ...(sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_TRACES_SAMPLER: 'always_on', OTEL_SDK_DISABLED: 'false' } : {}),
          },
          nodeArgs: options?.nodeArgs,
        });
        return {
          pid: ready.pid, wsPort: ready.ws, tcpPort: ready.tcp, routes: PITAYA_ROUTES,
          stop: async (grace) => {
            await ctx.registry.stop(p, grace);
            await sink?.close();
          },
        };
      } catch (error) {
        await sink?.close();
        throw error;
      }
    },
  };
}

/** The standalone app with the Prometheus reporter on (one echo row, compared with `pitaya`). */
export const pitayaPrometheusTarget = observedTarget('prometheus');
/** The standalone app with tracing sampled at 100 % (one echo row, compared with `pitaya`). */
export const pitayaTracingTarget = observedTarget('tracing');
