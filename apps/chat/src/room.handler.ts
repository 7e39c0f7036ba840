import { Context, GROUPS, Handler, Inject, Notify, PitayaError, Timers, type Groups, type OnAfterInit, type OnInit, LOGGER, type Logger } from '@pitaya-ts/core';

/** A chat line, as clients send it and receive it. */
export interface UserMessage {
  name: string;
  content: string;
}

/** The reply to `room.join`. */
export interface JoinResponse {
  code: number;
  result: string;
}

/** The room every client joins: a port of Pitaya's chat demo (examples/demo/chat). */
@Handler({ name: 'room', nameTransform: (method) => method.toLowerCase() })
export class RoomHandler implements OnInit, OnAfterInit {
  constructor(
    @Inject(GROUPS) private readonly groups: Groups,
    private readonly timers: Timers,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onInit(): Promise<void> {
    return this.groups.create('room');
  }

  onAfterInit(): void {
    this.timers.every(60_000, async () => {
      this.log.debug({ count: await this.groups.count('room') }, 'users in the room');
    });
  }

  /** Binds the session (its id as uid, like the demo), sends the member list and announces the newcomer. */
  async join(ctx: Context): Promise<JoinResponse> {
    const { session } = ctx;
    try {
      await session.bind(String(session.id));
    } catch (error) {
      throw PitayaError.wrap(error, 'RH-000', { failed: 'bind' });
    }
    const uid = session.uid!;
    await session.push('onMembers', { members: await this.groups.members('room') });
    await this.groups.broadcast('room', 'onNewUser', { content: `New user: ${uid}` });
    await this.groups.add('room', uid);
    session.onClose(() => this.groups.remove('room', uid).catch(() => undefined));
    return { code: 0, result: 'success' };
  }

  /** Relays a chat line to everyone in the room. */
  @Notify()
  async message(_ctx: Context, message: UserMessage): Promise<void> {
    if (typeof message?.content !== 'string' || typeof message.name !== 'string') {
      throw new PitayaError('PIT-400', 'a message needs a string name and content');
    }
    await this.groups.broadcast('room', 'onMessage', { name: message.name.slice(0, 64), content: message.content.slice(0, 2000) });
  }
}
