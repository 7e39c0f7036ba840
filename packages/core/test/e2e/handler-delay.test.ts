import { Context, Handler, Route, METRICS_REPORTER, Module, NoopMetricsReporter, type HandledMessage, type MetricsReporter, type PitayaApplication } from '@pitaya-ts/core';
import { SessionInbox } from '@pitaya-ts/core/internal';
import { waitFor } from '@pitaya-ts/testing';
import { startApp } from '../support/app';
import { json, RawClient } from '../support/raw-client';

let release: (() => void) | undefined;

@Handler('svc')
class SvcHandler {
  /** Holds the session until the test calls `release`: the slow handler, without a sleep. */
  @Route()
  async slow(): Promise<unknown> {
    await new Promise<void>((resolve) => (release = resolve));
    return { slow: true };
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}

interface Delay {
  readonly route: string;
  readonly type: 'local' | 'remote';
  readonly delayMs: number;
}

class DelayMetrics extends NoopMetricsReporter {
  readonly delays: Delay[] = [];
  readonly handled: HandledMessage[] = [];
  handlerDelay(route: string, type: 'local' | 'remote', delayMs: number): void {
    this.delays.push({ route, type, delayMs });
  }
  override messageHandled(...args: unknown[]): void {
    this.handled.push(args[0] as HandledMessage);
  }
}

async function start(metrics: MetricsReporter): Promise<{ app: PitayaApplication; client: RawClient }> {
  @Module({ handlers: [SvcHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
  class AppModule {}
  const { app, tcpPort } = await startApp(AppModule);
  const client = await RawClient.tcp(tcpPort);
  await client.handshake();
  return { app, client };
}

describe('handler delay (pitaya_handler_handler_delay_ns)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    release = undefined;
  });

  it('reports, for a message queued behind a slow handler of its session, at least the time it waited', async () => {
    const metrics = new DelayMetrics();
    const enqueue = jest.spyOn(SessionInbox.prototype, 'enqueue');
    const { app, client } = await start(metrics);
    try {
      const slow = client.request('connector.svc.slow');
      await waitFor(() => release !== undefined, { message: 'slow handler entered' });
      const fast = client.request('connector.svc.echo', { n: 1 });
      await waitFor(() => enqueue.mock.calls.length === 1, { message: 'echo queued behind slow' });
      const queuedSeenAt = performance.now();
      // Keeps the echo waiting a noticeable while; the order itself is guaranteed by the gate, not by this.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const releasedAt = performance.now();
      release!();
      expect(json(await slow)).toEqual({ slow: true });
      expect(json(await fast)).toEqual({ n: 1 });
      await waitFor(() => metrics.delays.length === 2, { message: 'two delays reported' });

      const [slowDelay, fastDelay] = metrics.delays;
      expect(slowDelay).toEqual({ route: 'connector.svc.slow', type: 'local', delayMs: 0 });
      expect(fastDelay!.route).toBe('connector.svc.echo');
      expect(fastDelay!.type).toBe('local');
      // Queued no later than the spy saw it, started no earlier than the release.
      expect(fastDelay!.delayMs).toBeGreaterThanOrEqual(releasedAt - queuedSeenAt);
      // And no more than the slow handler's own time: it was queued after the slow one started.
      const slowHandled = metrics.handled.find((m) => m.route === 'connector.svc.slow')!;
      expect(fastDelay!.delayMs).toBeLessThanOrEqual(slowHandled.durationMs);
      client.close();
    } finally {
      await app.close();
    }
  });

  it('names routes the server cannot vouch for `unknown`, typed local or remote by their server type', async () => {
    const metrics = new DelayMetrics();
    const { app, client } = await start(metrics);
    try {
      await client.request('connector.svc.nosuchroute');
      await client.request('room.svc.invented-by-client');
      await waitFor(() => metrics.delays.length === 2, { message: 'two delays reported' });
      expect(metrics.delays.map(({ route, type }) => ({ route, type }))).toEqual([
        { route: 'unknown', type: 'local' },
        { route: 'unknown', type: 'remote' },
      ]);
      client.close();
    } finally {
      await app.close();
    }
  });

  it('reads no clock for a queued message when no reporter measures delay', async () => {
    const enqueue = jest.spyOn(SessionInbox.prototype, 'enqueue');
    const { app, client } = await start(new NoopMetricsReporter());
    try {
      const slow = client.request('connector.svc.slow');
      await waitFor(() => release !== undefined, { message: 'slow handler entered' });
      const fast = client.request('connector.svc.echo', { n: 2 });
      await waitFor(() => enqueue.mock.calls.length === 1, { message: 'echo queued behind slow' });
      release!();
      await slow;
      expect(json(await fast)).toEqual({ n: 2 });
      // -1: not timed (no performance.now(), no arrival stored).
      expect(enqueue.mock.calls[0]![3]).toBe(-1);
      client.close();
    } finally {
      await app.close();
    }
  });

  it('reads no clock at all per message with the default reporter, and times every message with a reporter extending it', async () => {
    const now = jest.spyOn(performance, 'now');
    let { app, client } = await start(new NoopMetricsReporter());
    try {
      now.mockClear();
      for (let i = 0; i < 5; i++) expect(json(await client.request('connector.svc.echo', { i }))).toEqual({ i });
      expect(now).not.toHaveBeenCalled();
      client.close();
    } finally {
      await app.close();
    }
    const metrics = new DelayMetrics();
    ({ app, client } = await start(metrics));
    try {
      for (let i = 0; i < 5; i++) await client.request('connector.svc.echo', { i });
      await waitFor(() => metrics.handled.length === 5, { message: 'five messages measured' });
      expect(metrics.handled.every((m) => m.route === 'connector.svc.echo' && m.ok && m.durationMs >= 0)).toBe(true);
      client.close();
    } finally {
      await app.close();
    }
  });

  it('times a delay reporter built on the no-op reporter itself (no subclass) as well', async () => {
    const delays: number[] = [];
    const metrics = Object.assign(new NoopMetricsReporter(), { handlerDelay: (_r: string, _t: 'local' | 'remote', ms: number) => void delays.push(ms) });
    const enqueue = jest.spyOn(SessionInbox.prototype, 'enqueue');
    const { app, client } = await start(metrics);
    try {
      const slow = client.request('connector.svc.slow');
      await waitFor(() => release !== undefined, { message: 'slow handler entered' });
      const fast = client.request('connector.svc.echo', { n: 3 });
      await waitFor(() => enqueue.mock.calls.length === 1, { message: 'echo queued behind slow' });
      const queuedSeenAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const releasedAt = performance.now();
      release!();
      await slow;
      await fast;
      await waitFor(() => delays.length === 2, { message: 'two delays reported' });
      expect(delays[0]).toBe(0);
      expect(delays[1]).toBeGreaterThanOrEqual(releasedAt - queuedSeenAt);
      client.close();
    } finally {
      await app.close();
    }
  });
});
