/**
 * Log lines carry the trace: a handler logs through the injected logger while tracing records spans
 * into an in-memory exporter, and the captured line names the exported span's trace and span ids,
 * the route, the session and the uid. With tracing off the same line has no trace fields.
 */
import pino from 'pino';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Handler, Inject, LOGGER, Module, Pitaya, Route, tcp, type Context, type Logger, type PitayaApplication } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { waitFor } from '@pitaya-ts/testing';
import { ObservabilityModule, type ObservabilityOptions } from '@pitaya-ts/observability';

@Handler('svc')
class SvcHandler {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  @Route()
  async login(ctx: Context, body: { uid: string }): Promise<{ ok: boolean }> {
    await ctx.session.bind(body.uid);
    return { ok: true };
  }

  @Route()
  async hello(): Promise<{ hi: boolean }> {
    // After an await: the active span must survive the handler's own asynchronous steps.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.log.info({ step: 'greeting' }, 'saying hello');
    return { hi: true };
  }
}

interface LogLine {
  msg?: string;
  step?: string;
  route?: string;
  session?: number;
  uid?: string;
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

async function run(tracing: ObservabilityOptions['tracing']): Promise<{ line: LogLine; app: PitayaApplication }> {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  @Module({ imports: [ObservabilityModule.forRoot({ tracing, env: {} })], handlers: [SvcHandler] })
  class AppModule {}
  const app = await Pitaya.create(AppModule, { serverType: 'connector', acceptors: [tcp({ port: 0, host: '127.0.0.1' })], logger, env: {} });
  await app.start();
  const client = await PitayaClient.connect(`tcp://127.0.0.1:${app.listening[0]!.port}`, { requestTimeoutMs: 5000 });
  try {
    await client.request('connector.svc.login', { uid: 'alice' });
    await client.request('connector.svc.hello', {});
  } finally {
    await client.close();
  }
  const line = await waitFor(() => lines.find((l) => l.msg === 'saying hello'), { message: 'the handler line' });
  return { line, app };
}

describe('trace ids on log lines', () => {
  it('a line logged by a handler carries the trace and span ids of the exported span, with route, session and uid', async () => {
    const exporter = new InMemorySpanExporter();
    const { line, app } = await run({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    try {
      const span = await waitFor(() => exporter.getFinishedSpans().find((s) => s.name === 'connector.svc.hello'), { message: 'the hello span' });
      expect(line.trace_id).toBe(span.spanContext().traceId);
      expect(line.span_id).toBe(span.spanContext().spanId);
      expect(line.trace_flags).toBe('01');
      expect(line).toMatchObject({ step: 'greeting', route: 'connector.svc.hello', uid: 'alice' });
      expect(typeof line.session).toBe('number');
    } finally {
      await app.close();
    }
  });

  it('with tracing off the line has no trace fields', async () => {
    const { line, app } = await run(false);
    try {
      expect(line.step).toBe('greeting');
      for (const key of ['trace_id', 'span_id', 'trace_flags', 'route', 'session', 'uid']) expect(line).not.toHaveProperty(key);
    } finally {
      await app.close();
    }
  });
});
