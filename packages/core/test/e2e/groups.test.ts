import { MessageType } from '@pitaya-ts/protocol';
import { Context, GROUPS, Handler, Route, Inject, MemoryGroups, Module, type Groups, type PitayaApplication } from '@pitaya-ts/core';
import { MessageEncoder } from '@pitaya-ts/core/internal';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

@Handler('room')
class RoomHandler {
  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  onInit(): Promise<void> {
    return this.groups.create('lobby');
  }
  @Route()
  async join(ctx: Context, body: { uid: string }): Promise<unknown> {
    await ctx.session.bind(body.uid);
    await this.groups.add('lobby', body.uid);
    ctx.session.onClose(() => this.groups.remove('lobby', body.uid));
    return { members: await this.groups.members('lobby') };
  }
  @Route()
  async say(_ctx: Context, body: { text: string }): Promise<unknown> {
    const failed = await this.groups.broadcast('lobby', 'onMessage', body);
    return { failed };
  }
}
@Module({ handlers: [RoomHandler] })
class AppModule {}

describe('memory groups', () => {
  let app: PitayaApplication;
  let port: number;
  beforeAll(async () => {
    ({ app, tcpPort: port } = await startApp(AppModule));
  });
  afterAll(() => app.close());

  it('broadcasts one identical packet to every member and reports unreachable members', async () => {
    const clients = await Promise.all(['u1', 'u2', 'u3'].map(async (uid) => {
      const c = await RawClient.tcp(port);
      await c.handshake();
      await c.request('connector.room.join', { uid });
      return c;
    }));
    const groups = app.get<Groups>(GROUPS);
    await groups.add('lobby', 'ghost');
    const encode = jest.spyOn(app.get(MessageEncoder), 'push');
    expect(json(await clients[0]!.request('connector.room.say', { text: 'hi' }))).toEqual({ failed: ['ghost'] });
    expect(encode).toHaveBeenCalledTimes(1);
    encode.mockRestore();
    const pushes = await Promise.all(clients.map((c) => c.nextMessage((m) => m.type === MessageType.Push)));
    for (const push of pushes) {
      expect(push.route).toBe('onMessage');
      expect(json(push)).toEqual({ text: 'hi' });
    }
    for (const c of clients) c.close();
  });

  it('implements the group operations with Pitaya\'s errors, and TTL expiry', async () => {
    const groups = app.get<Groups>(GROUPS) as MemoryGroups;
    await groups.create('g');
    await expect(groups.create('g')).rejects.toThrow('group already exists');
    await groups.add('g', 'a');
    await expect(groups.add('g', 'a')).rejects.toThrow('member already exists in group');
    await expect(groups.add('nope', 'a')).rejects.toThrow('group not found');
    await groups.add('g', 'b');
    expect(await groups.contains('g', 'a')).toBe(true);
    expect(await groups.count('g')).toBe(2);
    await groups.remove('g', 'a');
    await expect(groups.remove('g', 'a')).rejects.toThrow('member not found in the group');
    await groups.removeAll('g');
    expect(await groups.members('g')).toEqual([]);
    await expect(groups.renewTtl('g')).rejects.toThrow('memory group TTL not found');
    await groups.delete('g');
    await expect(groups.count('g')).rejects.toThrow('group not found');

    await groups.create('short', { ttlMs: 1000 });
    const created = Date.now();
    groups.sweep(created + 500);
    expect(await groups.count('short')).toBe(0);
    await groups.renewTtl('short');
    groups.sweep(Date.now() + 1001);
    await expect(groups.count('short')).rejects.toThrow('group not found');
  });
});
