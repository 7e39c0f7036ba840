import { createLogger, GROUPS, Pitaya, tcp, ws, type Groups, type PitayaApplication } from '@pitaya-ts/core';
import { ClientError, createTypedClient, PitayaClient } from '@pitaya-ts/client/node';
import type { ChatApi } from '../src/room.contract';
import { ChatModule } from '../src/chat.module';

/** The chat's wire behaviour, as Pitaya's demo page and clients expect it. */
describe('chat server', () => {
  let app: PitayaApplication;
  const clients: PitayaClient[] = [];
  const connect = async (transport: 'ws' | 'tcp'): Promise<PitayaClient> => {
    const port = app.listening[transport === 'ws' ? 0 : 1]!.port;
    const client = await PitayaClient.connect(transport === 'ws' ? `ws://127.0.0.1:${port}/pitaya` : `tcp://127.0.0.1:${port}`);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    app = await Pitaya.create(ChatModule, {
      serverType: 'chat',
      acceptors: [ws({ port: 0, host: '127.0.0.1' }), tcp({ port: 0, host: '127.0.0.1' })],
      logger: createLogger({ level: 'silent' }),
      env: {},
    });
    await app.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
  });

  it('serves the routes of Pitaya\'s demo', () => {
    expect(app.routes.handlers.map((r) => [r.route, r.notify])).toEqual([['chat.room.join', false], ['chat.room.message', true]]);
  });

  it('joins (members, newcomer announcement) and relays messages between WebSocket and TCP clients', async () => {
    const alice = await connect('ws');
    const aliceSees: unknown[] = [];
    alice.on('onMembers', (m) => aliceSees.push(['members', m]));
    alice.on('onNewUser', (m) => aliceSees.push(['newUser', m]));
    alice.on('onMessage', (m) => aliceSees.push(['message', m]));
    expect(await alice.request('room.join', {})).toEqual({ code: 0, result: 'success' });

    const bob = await connect('tcp');
    const bobSees: unknown[] = [];
    bob.on('onMembers', (m) => bobSees.push(['members', m]));
    bob.on('onMessage', (m) => bobSees.push(['message', m]));
    expect(await bob.request('chat.room.join', {})).toEqual({ code: 0, result: 'success' });

    bob.notify('room.message', { name: 'bob', content: 'hi' });
    await waitFor(() => aliceSees.some((e) => (e as unknown[])[0] === 'message') && bobSees.some((e) => (e as unknown[])[0] === 'message'));
    const aliceUid = app.sessions.sessions().next().value!.uid;
    expect(aliceSees).toEqual([
      ['members', { members: [] }],
      ['newUser', { content: expect.stringMatching(/^New user: \d+$/) }],
      ['message', { name: 'bob', content: 'hi' }],
    ]);
    expect(bobSees).toEqual([['members', { members: [aliceUid] }], ['message', { name: 'bob', content: 'hi' }]]);
  });

  it('speaks the typed API and drops a chat line that fails its schema before the handler', async () => {
    const erin = createTypedClient<ChatApi>(await connect('ws'));
    const seen: { name: string; content: string }[] = [];
    erin.on('onMessage', (m) => seen.push(m));
    expect(await erin.request('chat.room.join')).toEqual({ code: 0, result: 'success' });
    erin.untyped.notify('chat.room.message', { name: 'erin', content: 42 });
    erin.untyped.notify('chat.room.message', { name: 'erin', content: 'x'.repeat(2001) });
    erin.notify('chat.room.message', { name: 'erin', content: 'valid' });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ name: 'erin', content: 'valid' }]);
  });

  it('answers RH-000 when a session joins twice (bind fails)', async () => {
    const carol = await connect('ws');
    await carol.request('room.join', {});
    const error = await carol.request('room.join', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'RH-000', message: 'session is already bound to an uid', metadata: { failed: 'bind' } });
  });

  it('drops departed users from the room', async () => {
    const groups = app.get<Groups>(GROUPS);
    const dave = await connect('tcp');
    await dave.request('room.join', {});
    const uid = [...app.sessions.sessions()].at(-1)!.uid!;
    expect(await groups.contains('room', uid)).toBe(true);
    await dave.close();
    let present = true;
    await waitFor(() => {
      void groups.contains('room', uid).then((v) => (present = v));
      return !present;
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
