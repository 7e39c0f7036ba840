import { MessageType, PacketType } from '@pitaya-ts/protocol';
import { Context, Handler, Route, Module, SessionPool, type PitayaApplication, type Session } from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const events: string[] = [];

@Handler('account')
class AccountHandler {
  constructor(private readonly pool: SessionPool) {}

  @Route()
  async login(ctx: Context, body: { uid: string }): Promise<unknown> {
    await ctx.session.bind(body.uid);
    ctx.session.set('level', 3);
    ctx.session.onClose(() => void events.push(`closed:${body.uid}`));
    return { uid: ctx.session.uid, count: this.pool.count };
  }
  @Route()
  me(ctx: Context): unknown {
    return { uid: ctx.session.uid ?? null, level: ctx.session.get('level') ?? null, data: ctx.session.data() };
  }
  @Route()
  async kickOther(_ctx: Context, body: { uid: string }): Promise<unknown> {
    const target = this.pool.getByUid(body.uid);
    await target?.kick();
    return { kicked: target !== undefined };
  }
  @Route()
  async pushTo(_ctx: Context, body: { uid: string }): Promise<unknown> {
    await this.pool.getByUid(body.uid)?.push('onNotice', { from: 'server' });
    return { ok: true };
  }
}
@Module({ handlers: [AccountHandler] })
class AppModule {}

describe('sessions', () => {
  let app: PitayaApplication;
  let port: number;

  beforeAll(async () => {
    ({ app, tcpPort: port } = await startApp(AppModule));
    const pool = app.sessions;
    pool.onSessionBind((s: Session) => {
      events.push(`bind:${s.uid}`);
      if (s.uid === 'banned') throw new Error('this user is banned');
    });
    pool.onAfterSessionBind((s) => void events.push(`after:${s.uid}`));
    pool.onSessionClose((s) => void events.push(`pool-closed:${s.uid}`));
  });
  afterAll(() => app.close());
  beforeEach(() => (events.length = 0));

  const connect = async (): Promise<RawClient> => {
    const c = await RawClient.tcp(port);
    await c.handshake();
    return c;
  };

  it('binds a uid, keeps data between requests, runs bind callbacks in order', async () => {
    const client = await connect();
    expect(json(await client.request('connector.account.login', { uid: 'alice' }))).toEqual({ uid: 'alice', count: expect.any(Number) });
    expect(json(await client.request('connector.account.me'))).toEqual({ uid: 'alice', level: 3, data: { ipversion: 'ipv4', level: 3 } });
    expect(app.sessions.getByUid('alice')?.uid).toBe('alice');
    expect(events).toEqual(['bind:alice', 'after:alice']);
    client.close();
    await client.waitClosed();
    await waitFor(() => events.includes('pool-closed:alice'));
    expect(events.slice(2)).toEqual(['closed:alice', 'pool-closed:alice']);
    expect(app.sessions.getByUid('alice')).toBeUndefined();
  });

  it('refuses binding twice and lets a bind callback refuse a uid', async () => {
    const client = await connect();
    await client.request('connector.account.login', { uid: 'bob' });
    expect(json(await client.request('connector.account.login', { uid: 'bob2' }))).toEqual({ code: 'PIT-000', msg: 'internal server error' });
    const banned = await connect();
    expect(json(await banned.request('connector.account.login', { uid: 'banned' }))).toEqual({ code: 'PIT-000', msg: 'internal server error' });
    expect(json(await banned.request('connector.account.me'))).toMatchObject({ uid: null });
    client.close();
    banned.close();
  });

  it('keeps one live session per uid: a second bind kicks the first', async () => {
    const first = await connect();
    await first.request('connector.account.login', { uid: 'carol' });
    const second = await connect();
    await second.request('connector.account.login', { uid: 'carol' });
    expect((await first.nextPacket()).type).toBe(PacketType.Kick);
    await first.waitClosed();
    expect(json(await second.request('connector.account.me'))).toMatchObject({ uid: 'carol' });
    // The first session's close must not remove the second one's uid mapping.
    await waitFor(() => events.includes('closed:carol'));
    expect(app.sessions.getByUid('carol')).toBeDefined();
    second.close();
  });

  it('pushes to and kicks another user by uid', async () => {
    const target = await connect();
    await target.request('connector.account.login', { uid: 'dave' });
    const admin = await connect();
    await admin.request('connector.account.pushTo', { uid: 'dave' });
    const push = await target.nextMessage();
    expect(push.type).toBe(MessageType.Push);
    expect(push.route).toBe('onNotice');
    expect(json(await admin.request('connector.account.kickOther', { uid: 'dave' }))).toEqual({ kicked: true });
    expect((await target.nextPacket()).type).toBe(PacketType.Kick);
    await target.waitClosed();
    admin.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
