import { ErrorCode, MessageType, utf8Decode, utf8Encode } from '@pitaya-ts/protocol';
import { ClientError, PitayaClient } from '../src/node';
import { TestServer, type TestServerOptions, type TransportKind } from './support/test-server';
import { selfSignedCertificate } from '@pitaya-ts/testing';

const servers: TestServer[] = [];
const clients: PitayaClient[] = [];

async function setup(kind: TransportKind, serverOptions: TestServerOptions = {}, clientOptions = {}) {
  const server = await new TestServer(serverOptions).start();
  servers.push(server);
  const client = await PitayaClient.connect(server.url(kind), clientOptions);
  clients.push(client);
  const conn = await server.connection();
  return { server, client, conn };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const json = (m: { data: Uint8Array }): unknown => JSON.parse(utf8Decode(m.data));

describe.each<TransportKind>(['tcp', 'ws'])('PitayaClient over %s', (kind) => {
  test('handshake: default sys + user sent, 200 accepted, ack sent', async () => {
    const server = await new TestServer({ dict: { 'room.join': 1 }, heartbeat: 30 }).start();
    servers.push(server);
    const client = await PitayaClient.connect(server.url(kind), {
      handshake: { sys: { clientVersion: '9.9' }, user: { name: 'ana' } },
    });
    clients.push(client);
    expect(client.connected).toBe(true);
    expect(client.handshake).toEqual({ code: 200, sys: { dict: { 'room.join': 1 }, heartbeat: 30, serializer: 'json' } });
    const conn = await server.connection();
    const hs = await conn.waitFor((r) => r.kind === 'handshake');
    expect(hs).toEqual({
      kind: 'handshake',
      request: {
        sys: { platform: 'js', libVersion: 'pitaya-ts-client/0.1.0', clientBuildNumber: '1', clientVersion: '9.9' },
        user: { name: 'ana' },
      },
    });
    await conn.waitFor((r) => r.kind === 'ack');
    expect(conn.received.map((r) => r.kind).slice(0, 2)).toEqual(['handshake', 'ack']);
  });

  test('handshake refused with 400: connect rejects with PIT-400 and the connection closes', async () => {
    const server = await new TestServer({ handshakeCode: 400 }).start();
    servers.push(server);
    const err = await PitayaClient.connect(server.url(kind)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe('PIT-400');
    expect((err as ClientError).message).toMatch(/handshake refused.*400/);
    const conn = await server.connection();
    await conn.waitFor((r) => r.kind === 'closed');
    expect(conn.received.some((r) => r.kind === 'ack')).toBe(false);
  });

  test('a zlib-compressed handshake response (no flag) is sniffed and inflated', async () => {
    const { client } = await setup(kind, { compressHandshake: true, dict: { onMessage: 7 } });
    expect(client.handshake.sys.dict).toEqual({ onMessage: 7 });
  });

  test('request/response; message ids start at 1', async () => {
    const { client, conn } = await setup(kind);
    const first = client.request('room.room.join', { name: 'ana' });
    const second = client.request<{ n: number }>('room.room.count');
    const m1 = await conn.nextMessage(MessageType.Request, 0);
    const m2 = await conn.nextMessage(MessageType.Request, 1);
    expect([m1.id, m1.route, json(m1)]).toEqual([1, 'room.room.join', { name: 'ana' }]);
    expect([m2.id, m2.route, m2.data.length]).toEqual([2, 'room.room.count', 0]);
    conn.respond(2, { n: 3 });
    conn.respond(1, { code: 0, result: 'ok' });
    await expect(first).resolves.toEqual({ code: 0, result: 'ok' });
    await expect(second).resolves.toEqual({ n: 3 });
  });

  test('an error response rejects with code, msg and metadata', async () => {
    const { client, conn } = await setup(kind);
    const p = client.request('room.room.fail', {});
    const m = await conn.nextMessage(MessageType.Request);
    conn.respondError(m.id, { code: 'PIT-433', msg: 'test error', metadata: { some: 'meta' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'PIT-433', message: 'test error', metadata: { some: 'meta' } });
  });

  test('notify', async () => {
    const { client, conn } = await setup(kind);
    client.notify('room.room.message', { text: 'hi' });
    const m = await conn.nextMessage(MessageType.Notify);
    expect([m.id, m.route, json(m)]).toEqual([0, 'room.room.message', { text: 'hi' }]);
  });

  test('push with a plain and a dictionary-compressed route', async () => {
    const { client, conn } = await setup(kind, { dict: { onMembers: 5 } });
    const got: unknown[] = [];
    client.on('onMessage', (b) => got.push(['onMessage', b]));
    const off = client.on('onMembers', (b) => got.push(['onMembers', b]));
    conn.push('onMessage', { a: 1 });
    conn.push('onMembers', { members: ['ana'] }); // the server's encoder writes code 5, flag 0x01
    conn.push('onNobody', { x: 1 });
    await until(() => got.length === 2);
    expect(got).toEqual([['onMessage', { a: 1 }], ['onMembers', { members: ['ana'] }]]);
    off();
    conn.push('onMembers', { members: [] });
    conn.push('onMessage', { a: 2 });
    await until(() => got.length === 3);
    expect(got[2]).toEqual(['onMessage', { a: 2 }]);
  });

  test('onAnyPush sees every push with its route, dictionary-compressed ones included', async () => {
    const { client, conn } = await setup(kind, { dict: { onMembers: 5 } });
    const got: unknown[] = [];
    const off = client.onAnyPush((route, b) => got.push([route, b]));
    conn.push('onMembers', { members: ['ana'] });
    conn.push('onNobody', { x: 1 });
    await until(() => got.length === 2);
    expect(got).toEqual([['onMembers', { members: ['ana'] }], ['onNobody', { x: 1 }]]);
    off();
    conn.push('onNobody', { x: 2 });
    client.on('onLast', (b) => got.push(['onLast', b]));
    conn.push('onLast', {});
    await until(() => got.length === 3);
    expect(got[2]).toEqual(['onLast', {}]);
  });

  test('request routes in the dictionary are sent compressed', async () => {
    const { client, conn } = await setup(kind, { dict: { 'room.room.join': 9 } });
    void client.request('room.room.join', {}).catch(() => undefined);
    const m = await conn.nextMessage(MessageType.Request);
    expect([m.route, m.routeCompressed]).toEqual(['room.room.join', true]);
  });

  test('compressed payloads (flag 0x10) are inflated; compressRequests deflates when shorter', async () => {
    const { client, conn } = await setup(kind, {}, { compressRequests: true });
    const pushed = new Promise((resolve) => client.on('onBig', resolve));
    const big = { text: 'x'.repeat(500) };
    const p = client.request('room.room.big', big);
    const m = await conn.waitFor((r) => r.kind === 'message' && r.message.type === MessageType.Request);
    expect(m).toMatchObject({ wasCompressed: true });
    conn.respond(1, big, { compress: true });
    await expect(p).resolves.toEqual(big);
    conn.push('onBig', big, { compress: true });
    await expect(pushed).resolves.toEqual(big);
    client.notify('room.room.tiny', { a: 1 }); // deflate would be longer: sent plain
    const tiny = await conn.waitFor((r) => r.kind === 'message' && r.message.type === MessageType.Notify);
    expect(tiny).toMatchObject({ wasCompressed: false });
  });

  test('kick: kick listeners, then close; pending requests reject with PIT-499', async () => {
    const { client, conn } = await setup(kind);
    const events: string[] = [];
    client.onKick(() => events.push('kick'));
    const closed = new Promise<string>((resolve) => client.onClose(resolve));
    const pending = client.request('room.room.slow').catch((e: ClientError) => e.code);
    await conn.nextMessage(MessageType.Request);
    conn.kick();
    expect(await closed).toBe('kicked by server');
    expect(events).toEqual(['kick']);
    expect(await pending).toBe(ErrorCode.ClientClosedRequest);
    expect(client.connected).toBe(false);
  });

  test('heartbeats are sent every sys.heartbeat seconds', async () => {
    // 200 ms, not 30: the client drops a server silent for 2 intervals, and on a loaded machine an
    // echoed heartbeat can take longer than 60 ms to come back, which closed the client mid-test.
    const { client, conn } = await setup(kind, { heartbeat: 0.2, echoHeartbeats: true });
    let n = 0;
    await conn.waitFor((r) => r.kind === 'heartbeat' && ++n === 3);
    expect(client.connected).toBe(true);
  });

  test('a silent server is declared dead after 2 heartbeat intervals', async () => {
    const { client } = await setup(kind, { heartbeat: 0.03 });
    const reason = await new Promise<string>((resolve) => client.onClose(resolve));
    expect(reason).toBe('heartbeat timeout');
  });

  test('request timeout rejects with PIT-504 and keeps the connection', async () => {
    const { client } = await setup(kind, {}, { requestTimeoutMs: 30 });
    const err = await client.request('room.room.never').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.ClientTimeout, metadata: { route: 'room.room.never' } });
    expect(client.connected).toBe(true);
  });

  test('pending requests reject when the client closes, and when the server closes', async () => {
    const { client, conn } = await setup(kind);
    const a = client.request('room.room.a').catch((e: ClientError) => [e.code, e.message]);
    await conn.nextMessage(MessageType.Request);
    await client.close();
    expect(await a).toEqual([ErrorCode.ClientClosedRequest, 'connection closed: closed by client']);
    await expect(client.request('x.y.z')).rejects.toMatchObject({ code: ErrorCode.ClientClosedRequest });
    expect(() => client.notify('x.y.z')).toThrow(ClientError);

    const second = await setup(kind);
    const b = second.client.request('room.room.b').catch((e: ClientError) => e.code);
    const reason = new Promise<string>((resolve) => second.client.onClose(resolve));
    await second.conn.nextMessage(MessageType.Request);
    second.conn.close();
    expect(await b).toBe(ErrorCode.ClientClosedRequest);
    expect(await reason).toMatch(/closed/);
  });

  test('raw encoding: bytes in, bytes out; json mode hands non-JSON replies over as bytes', async () => {
    const { client, conn } = await setup(kind, {}, { encoding: 'raw' });
    const p = client.request('room.room.raw', Uint8Array.of(1, 2, 3));
    const m = await conn.nextMessage(MessageType.Request);
    expect([...m.data]).toEqual([1, 2, 3]);
    conn.sendMessage({ type: MessageType.Response, id: m.id, data: Uint8Array.of(9) });
    expect([...((await p) as Uint8Array)]).toEqual([9]);
    await expect(client.request('room.room.raw', { not: 'bytes' })).rejects.toThrow(TypeError);

    const j = await setup(kind);
    const q = j.client.request('room.room.ack');
    const r = await j.conn.nextMessage(MessageType.Request);
    j.conn.sendMessage({ type: MessageType.Response, id: r.id, data: utf8Encode('ack') });
    expect(utf8Decode((await q) as Uint8Array)).toBe('ack');
  });

  test('connect times out when the server never answers the handshake', async () => {
    const server = await new TestServer({ ignoreHandshake: true }).start();
    servers.push(server);
    const err = await PitayaClient.connect(server.url(kind), { connectTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.ClientTimeout });
    await (await server.connection()).waitFor((r) => r.kind === 'closed');
  });

  test('connect rejects when nothing listens', async () => {
    const server = await new TestServer().start();
    const url = server.url(kind);
    await server.stop();
    await expect(PitayaClient.connect(url)).rejects.toThrow(/failed/);
  });
});

test('unsupported URL schemes are refused', async () => {
  await expect(PitayaClient.connect('http://127.0.0.1:1')).rejects.toThrow(/unsupported URL/);
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

test('tls:// connects with the given TLS options', async () => {
  const { key, cert } = selfSignedCertificate();
  const server = await new TestServer({ tls: { key, cert } }).start();
  servers.push(server);
  const url = server.url('tls');
  await expect(PitayaClient.connect(url)).rejects.toThrow(/TLS connection .* failed/); // untrusted certificate
  const client = await PitayaClient.connect(url, { tls: { ca: cert } });
  clients.push(client);
  const conn = await server.connection(); // the refused TLS handshake never became a connection
  const p = client.request('room.room.tls', { secure: true });
  const m = await conn.nextMessage(MessageType.Request);
  conn.respond(m.id, json(m));
  await expect(p).resolves.toEqual({ secure: true });
});
