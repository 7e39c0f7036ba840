import { MessageType, PacketType, utf8Decode } from '@pitaya-ts/protocol';
import { Context, Handler, Route, Module, Notify, PitayaError, type PitayaApplication } from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const notified: unknown[] = [];

@Handler('testsvc')
class TestHandler {
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
  @Route()
  async slowEcho(_ctx: Context, body: { ms: number }): Promise<unknown> {
    await new Promise((r) => setTimeout(r, body.ms));
    return body;
  }
  @Route()
  fails(): never {
    throw new PitayaError('PIT-555', 'custom failure', { some: 'meta' });
  }
  @Route()
  crashes(): never {
    throw new Error('boom');
  }
  @Route()
  nothing(): null {
    return null;
  }
  @Route()
  async pushMe(ctx: Context): Promise<{ ok: boolean }> {
    await ctx.session.push('onPushed', { hello: 'world' });
    return { ok: true };
  }
  @Notify()
  record(_ctx: Context, body: unknown): void {
    notified.push(body);
  }
}

@Module({ handlers: [TestHandler] })
class TestModule {}

describe.each(['tcp', 'ws'] as const)('standalone frontend over %s', (transport) => {
  let app: PitayaApplication;
  let port: number;
  let client: RawClient;

  beforeAll(async () => {
    const started = await startApp(TestModule);
    app = started.app;
    port = transport === 'tcp' ? started.tcpPort : started.wsPort;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    client = await RawClient.connect(transport, port);
  });
  afterEach(() => client.close());

  it('answers the handshake with Pitaya\'s exact default body', async () => {
    client.send(new Uint8Array([1, 0, 0, 2, 0x7b, 0x7d]));
    const packet = await client.nextPacket();
    expect(packet.type).toBe(PacketType.Handshake);
    expect(utf8Decode(packet.body)).toBe('{"code":200,"sys":{"dict":{},"heartbeat":30,"serializer":"json"}}');
  });

  it('answers a request with its id and the handler result, by full and short route', async () => {
    await client.handshake();
    const full = await client.request('connector.testsvc.echo', { msg: 'good' });
    expect(full.type).toBe(MessageType.Response);
    expect(full.error).toBe(false);
    expect(json(full)).toEqual({ msg: 'good' });
    expect(json(await client.request('testsvc.echo', { n: 2 }))).toEqual({ n: 2 });
  });

  it('answers PIT-404 for an unknown route and PIT-400 for a bad body', async () => {
    await client.handshake();
    const missing = await client.request('connector.testsvc.nonexistent', {});
    expect(missing.error).toBe(true);
    expect(json(missing)).toEqual({ code: 'PIT-404', msg: 'pitaya/handler: connector.testsvc.nonexistent not found' });
    const id = client.sendRequest('connector.testsvc.echo', new TextEncoder().encode('{not json'));
    const bad = await client.nextMessage((m) => m.id === id);
    expect(bad.error).toBe(true);
    expect((json(bad) as { code: string }).code).toBe('PIT-400');
  });

  it('carries application error codes and metadata, and maps other failures to PIT-000', async () => {
    await client.handshake();
    expect(json(await client.request('connector.testsvc.fails'))).toEqual({ code: 'PIT-555', msg: 'custom failure', metadata: { some: 'meta' } });
    expect(json(await client.request('connector.testsvc.crashes'))).toEqual({ code: 'PIT-000', msg: 'internal server error' });
    expect(json(await client.request('connector.testsvc.nothing'))).toEqual({ code: 'PIT-000', msg: 'reply must not be null' });
  });

  it('runs notifies without a reply and refuses requests to notify routes', async () => {
    await client.handshake();
    notified.length = 0;
    client.sendNotify('connector.testsvc.record', { n: 1 });
    const refused = await client.request('connector.testsvc.record', { n: 2 });
    expect(json(refused)).toEqual({ code: 'PIT-400', msg: 'tried to request a notify route' });
    expect(notified).toEqual([{ n: 1 }]);
  });

  it('pushes from a handler before answering', async () => {
    await client.handshake();
    const id = client.sendRequest('connector.testsvc.pushMe', {});
    const push = await client.nextMessage();
    expect(push.type).toBe(MessageType.Push);
    expect(push.route).toBe('onPushed');
    expect(JSON.parse(utf8Decode(push.data))).toEqual({ hello: 'world' });
    const response = await client.nextMessage();
    expect(response.id).toBe(id);
  });

  it('handles the messages of one session in arrival order', async () => {
    await client.handshake();
    const slow = client.sendRequest('connector.testsvc.slowEcho', { ms: 80 });
    const fast = client.sendRequest('connector.testsvc.echo', { fast: true });
    const first = await client.nextMessage();
    const second = await client.nextMessage();
    expect([first.id, second.id]).toEqual([slow, fast]);
  });
});
