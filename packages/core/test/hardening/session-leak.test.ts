import { encodeMessagePacket, MessageType, utf8Encode } from '@pitaya-ts/protocol';
import { Context, Handler, Module, Route, tcp, ws, type PitayaApplication } from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const gates: { bind?: Promise<void>; after?: Promise<void> } = {};
const binds: Promise<unknown>[] = [];
// Like an etcd round trip in a cluster's bind callbacks (binding storage, unique session).
let bindLatencyMs = 0;
const latency = (): Promise<void> | undefined => (bindLatencyMs > 0 ? new Promise((r) => setTimeout(r, bindLatencyMs)) : undefined);

@Handler('room')
class RoomHandler {
  @Route()
  async join(ctx: Context, body: { uid: string }): Promise<unknown> {
    const bound = ctx.session.bind(body.uid);
    binds.push(bound.catch(() => undefined));
    await bound;
    return { ok: true };
  }
}
@Module({ handlers: [RoomHandler] })
class AppModule {}

const join = (uid: string): Uint8Array =>
  encodeMessagePacket({ type: MessageType.Request, id: 1, route: 'connector.room.join', data: utf8Encode(JSON.stringify({ uid })) });
const MALFORMED = Uint8Array.of(9, 0, 0, 0); // packet type 9 does not exist

describe('session pool: no session outlives its connection', () => {
  let app: PitayaApplication;
  let tcpPort: number;
  let wsPort: number;

  beforeAll(async () => {
    ({ app, tcpPort, wsPort } = await startApp(AppModule));
    // A bind callback that awaits something slow (binding storage, a unique-session lookup …).
    app.sessions.onSessionBind(() => gates.bind ?? latency());
    app.sessions.onAfterSessionBind(() => gates.after);
  });
  afterAll(() => app.close());

  it.each(['tcp', 'ws'] as const)('a join and a malformed packet in one write leave nothing behind (%s)', async (transport) => {
    bindLatencyMs = 20;
    const clients: RawClient[] = [];
    for (let i = 0; i < 50; i++) {
      const client = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      await client.handshake();
      if (transport === 'tcp') client.send(Buffer.concat([join(`${transport}-${i}`), MALFORMED]));
      else {
        client.send(join(`${transport}-${i}`));
        client.send(MALFORMED);
      }
      clients.push(client);
    }
    await Promise.all(clients.map((c) => c.waitClosed()));
    await waitFor(() => app.sessions.count === 0, { message: 'every session closed' });
    await Promise.all(binds.splice(0));
    bindLatencyMs = 0;
    expect(app.sessions.boundCount).toBe(0);
  });

  it.each(['bind', 'after'] as const)('a connection closing while an async %s callback runs leaves nothing behind', async (phase) => {
    let release!: () => void;
    gates[phase] = new Promise<void>((resolve) => (release = resolve));
    binds.length = 0;
    const client = await RawClient.tcp(tcpPort);
    await client.handshake();
    client.send(join(`slow-${phase}`));
    await waitFor(() => binds.length === 1, { message: 'bind started' });
    client.close();
    await waitFor(() => app.sessions.count === 0, { message: 'session closed' });
    release();
    await binds[0];
    gates[phase] = undefined;
    expect(app.sessions.boundCount).toBe(0);
    expect(app.sessions.getByUid(`slow-${phase}`)).toBeUndefined();
  });
});

describe('acceptors: no socket outlives its connection', () => {
  it('forgets every socket once it closes, whoever closed it (client, server, malformed input)', async () => {
    const acceptors = [tcp({ port: 0, host: '127.0.0.1' }), ws({ port: 0, host: '127.0.0.1' })] as const;
    const { app, tcpPort, wsPort } = await startApp(AppModule, { acceptors: [...acceptors] });
    const tracked = (): number[] => acceptors.map((a) => (a as unknown as { sockets: Set<unknown> }).sockets.size);
    try {
      const clients: RawClient[] = [];
      for (const transport of ['tcp', 'ws'] as const) {
        for (let i = 0; i < 9; i++) {
          const client = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
          await client.handshake();
          clients.push(client);
        }
      }
      expect(tracked()).toEqual([9, 9]);
      // A third close from the client, a third send bytes that are not the protocol, the rest are kicked by the server.
      for (let i = 0; i < clients.length; i++) {
        if (i % 3 === 0) clients[i]!.close();
        else if (i % 3 === 1) clients[i]!.send(MALFORMED);
      }
      await waitFor(() => app.sessions.count === 6, { timeoutMs: 10_000, message: 'client-side closes seen' });
      for (const session of [...app.sessions.sessions()]) void session.kick();
      await Promise.all(clients.map((c) => c.waitClosed(5000)));
      await waitFor(() => app.sessions.count === 0 && tracked().every((n) => n === 0), { timeoutMs: 10_000, message: `sockets forgotten (${tracked().join(', ')} left)` });
    } finally {
      await app.close();
    }
  });
});
