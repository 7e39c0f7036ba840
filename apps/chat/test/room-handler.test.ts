import { GROUPS, MemoryGroups, PITAYA_CONFIG, USER_MESSENGER, type BroadcastOptions, type Groups, type PitayaConfig, type UserMessenger } from '@pitaya-ts/core';
import { ClientError } from '@pitaya-ts/client/node';
import { Test, waitFor, type TestingApp } from '@pitaya-ts/testing';
import { ChatModule } from '../src/chat.module';

/**
 * The room handler unit-tested through a testing module: the real module, its groups replaced by a
 * recording double, clients connected in memory (no ports).
 */
describe('room handler (testing module)', () => {
  let testing: TestingApp;
  const broadcasts: [string, string, unknown][] = [];

  /** Memory groups that also record what they broadcast. */
  class RecordingGroups extends MemoryGroups {
    override broadcast(group: string, route: string, body: unknown, options?: BroadcastOptions): Promise<string[]> {
      broadcasts.push([group, route, body]);
      return super.broadcast(group, route, body, options);
    }
  }

  beforeEach(async () => {
    broadcasts.length = 0;
    testing = await Test.createTestingModule(ChatModule)
      .overrideProvider<Groups>(GROUPS).useFactory({
        factory: (messenger: UserMessenger, config: PitayaConfig) => new RecordingGroups(messenger, config),
        inject: [USER_MESSENGER, PITAYA_CONFIG],
      })
      .compile({ serverType: 'chat' });
  });
  afterEach(() => testing.close());

  it('announces a newcomer to the room and relays messages', async () => {
    const alice = await testing.connect();
    expect(await alice.request('room.join', {})).toEqual({ code: 0, result: 'success' });
    alice.notify('room.message', { name: 'alice', content: 'hello' });
    await waitFor(() => broadcasts.length === 2);
    expect(broadcasts).toEqual([
      ['room', 'onNewUser', { content: expect.stringMatching(/^New user: \d+$/) }],
      ['room', 'onMessage', { name: 'alice', content: 'hello' }],
    ]);
  });

  it('refuses a second join with RH-000', async () => {
    const bob = await testing.connect();
    await bob.request('room.join', {});
    const error = await bob.request('room.join', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('RH-000');
  });
});
