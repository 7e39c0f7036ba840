import {
  Context, Handler, Route, Module, Pipeline, PitayaError, UsePipelines, type AfterPipeline, type BeforePipeline, type Outcome, type PitayaApplication,
} from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const trace: string[] = [];

@Pipeline({ order: 1 })
class RequireBound implements BeforePipeline {
  before(ctx: Context, body: unknown): unknown {
    trace.push('require-bound');
    if (ctx.route.endsWith('.login')) return body;
    if (!ctx.session.uid) throw new PitayaError('PIT-401', 'bind first');
    return body;
  }
}

@Pipeline({ order: 0 })
class Stamp implements BeforePipeline, AfterPipeline {
  before(_ctx: Context, body: unknown): unknown {
    trace.push('stamp-before');
    return typeof body === 'object' && body !== null ? { ...body, stamped: true } : body;
  }
  after(_ctx: Context, outcome: Outcome): Outcome {
    trace.push(`stamp-after:${outcome.error ? 'error' : 'ok'}`);
    return outcome;
  }
}

@Pipeline()
class HideErrors implements AfterPipeline {
  async after(_ctx: Context, outcome: Outcome): Promise<Outcome> {
    trace.push('hide-errors');
    return outcome.error ? { result: { recovered: (outcome.error as Error).message } } : outcome;
  }
}

@Pipeline({ routes: [/\.never$/] })
class NeverMatches implements BeforePipeline {
  before(): unknown {
    throw new Error('must not run');
  }
}

@Handler('svc')
class SvcHandler {
  @Route()
  async login(ctx: Context, body: { uid: string }): Promise<unknown> {
    await ctx.session.bind(body.uid);
    return body;
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    trace.push('handler');
    return body;
  }
  @Route()
  @UsePipelines(HideErrors)
  risky(): unknown {
    trace.push('handler');
    throw new Error('handler exploded');
  }
}

@Module({ handlers: [SvcHandler], pipelines: [RequireBound, Stamp, NeverMatches] })
class AppModule {}

describe('pipelines', () => {
  let app: PitayaApplication;
  let client: RawClient;
  beforeAll(async () => {
    const started = await startApp(AppModule);
    app = started.app;
    client = await RawClient.tcp(started.tcpPort);
    await client.handshake();
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });
  beforeEach(() => (trace.length = 0));

  it('stops at the first failing before-pipeline and answers its error; after-pipelines still see it', async () => {
    expect(json(await client.request('connector.svc.echo', { a: 1 }))).toEqual({ code: 'PIT-401', msg: 'bind first' });
    expect(trace).toEqual(['stamp-before', 'require-bound', 'stamp-after:error']);
  });

  it('passes the body through before-pipelines in order', async () => {
    await client.request('connector.svc.login', { uid: 'p1' });
    trace.length = 0;
    expect(json(await client.request('connector.svc.echo', { a: 1 }))).toEqual({ a: 1, stamped: true });
    expect(trace).toEqual(['stamp-before', 'require-bound', 'handler', 'stamp-after:ok']);
  });

  it('lets a method-level after-pipeline replace an error with a result', async () => {
    expect(json(await client.request('connector.svc.risky', {}))).toEqual({ recovered: 'handler exploded' });
    expect(trace).toEqual(['stamp-before', 'require-bound', 'handler', 'stamp-after:error', 'hide-errors']);
  });

  it('computes chains once at start-up', () => {
    const entry = app.routes.handler('connector.svc.risky')!;
    expect(entry.before.map((p) => p.constructor.name)).toEqual(['Stamp', 'RequireBound']);
    expect(entry.after.map((p) => p.constructor.name)).toEqual(['Stamp', 'HideErrors']);
  });
});
