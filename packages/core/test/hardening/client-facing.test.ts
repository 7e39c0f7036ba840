import { PacketType } from '@pitaya-ts/protocol';
import {
  Handler, METRICS_REPORTER, Module, NoopMetricsReporter, PitayaError, Pitaya, rateLimiting, tcp, withWrappers, Route, type RefusalReason,
} from '@pitaya-ts/core';
import pino from 'pino';
import { waitFor } from '@pitaya-ts/testing';
import { json, RawClient } from '../support/raw-client';

@Handler('svc')
class SvcHandler {
  @Route()
  crash(): unknown {
    throw new Error('connect ECONNREFUSED 10.0.3.7:5432 (db password=hunter2)');
  }
  @Route()
  async rejects(): Promise<unknown> {
    throw new TypeError("Cannot read properties of undefined (reading 'secret') at /srv/game/dist/room.js:42");
  }
  @Route()
  infra(): unknown {
    throw new PitayaError('PIT-500', 'rpc client: server of type room is unavailable', { route: 'room.room.join', server: 'room-7f3a', 'peer.id': 'connector-1' });
  }
  @Route()
  app(): unknown {
    throw new PitayaError('RH-001', 'room is full', { room: 'lobby' });
  }
  @Route()
  echo(_ctx: unknown, body: unknown): unknown {
    return body;
  }
}

class CountingMetrics extends NoopMetricsReporter {
  readonly refusals: RefusalReason[] = [];
  drops = 0;
  override refused(...args: unknown[]): void {
    this.refusals.push(args[0] as RefusalReason);
  }
  override rateLimited(): void {
    this.drops++;
  }
}

describe('client-facing errors', () => {
  it('answer generic text for failures that are not PitayaErrors, log the detail, and never name servers', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    @Module({ handlers: [SvcHandler] })
    class AppModule {}
    const app = await Pitaya.create(AppModule, { serverType: 'connector', acceptors: [tcp({ port: 0, host: '127.0.0.1' })], logger, env: {} });
    await app.start();
    try {
      const client = await RawClient.tcp(app.listening[0]!.port);
      await client.handshake();
      expect(json(await client.request('connector.svc.crash'))).toEqual({ code: 'PIT-000', msg: 'internal server error' });
      expect(json(await client.request('connector.svc.rejects'))).toEqual({ code: 'PIT-000', msg: 'internal server error' });
      expect(json(await client.request('connector.svc.infra'))).toEqual({ code: 'PIT-500', msg: 'rpc client: server of type room is unavailable', metadata: { route: 'room.room.join' } });
      expect(json(await client.request('connector.svc.app'))).toEqual({ code: 'RH-001', msg: 'room is full', metadata: { room: 'lobby' } });
      // The detail is in the server's log, where an operator can see it.
      expect(lines.join('')).toContain('hunter2');
      expect(lines.join('')).toContain('/srv/game/dist/room.js:42');
      client.close();
    } finally {
      await app.close();
    }
  });
});

describe('rate limiter', () => {
  it('counts every drop and kicks a client after conn.rateLimiting.kickAfter drops, leaving others alone', async () => {
    const metrics = new CountingMetrics();
    @Module({ handlers: [SvcHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
    class AppModule {}
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector',
      acceptors: [withWrappers(tcp({ port: 0, host: '127.0.0.1' }), rateLimiting())],
      logger: pino({ level: 'silent' }),
      env: {},
      config: { conn: { rateLimiting: { limit: 5, interval: 60_000, kickAfter: 10 } } },
    });
    await app.start();
    try {
      const port = app.listening[0]!.port;
      const abuser = await RawClient.tcp(port);
      const polite = await RawClient.tcp(port);
      await abuser.handshake();
      await polite.handshake();
      for (let i = 0; i < 30; i++) abuser.sendNotify('connector.svc.echo', { i });
      await abuser.waitClosed();
      const kick = (await abuser.collect(0)).find((p) => p.type === PacketType.Kick);
      expect(kick).toBeDefined();
      expect(metrics.drops).toBe(10);
      expect(metrics.refusals).toEqual(['rate-limit-kick']);
      expect(json(await polite.request('connector.svc.echo', { ok: 1 }))).toEqual({ ok: 1 });
      polite.close();
    } finally {
      await app.close();
    }
  });

  it('only drops by default', async () => {
    const metrics = new CountingMetrics();
    @Module({ handlers: [SvcHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
    class AppModule {}
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector',
      acceptors: [withWrappers(tcp({ port: 0, host: '127.0.0.1' }), rateLimiting({ limit: 2, intervalMs: 60_000 }))],
      logger: pino({ level: 'silent' }),
      env: {},
    });
    await app.start();
    try {
      const client = await RawClient.tcp(app.listening[0]!.port);
      await client.handshake();
      for (let i = 0; i < 20; i++) client.sendNotify('connector.svc.echo', { i });
      await waitFor(() => metrics.drops === 18, { message: '18 of 20 notifies dropped' });
      expect(client.closed).toBe(false);
      expect(metrics.refusals).toEqual([]);
      client.close();
    } finally {
      await app.close();
    }
  });
});
