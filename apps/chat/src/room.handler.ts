import {
  Context, GROUPS, Handler, Inject, LOGGER, Optional, PitayaError, Timers, type BroadcastOptions, type Groups, type HandlerOf, type Logger,
  type OnAfterInit, type OnInit,
} from '@pitaya-ts/core';
import { RoomService, type JoinResponse, type UserMessage } from './room.contract';

/** Settings of the room, injectable with {@link CHAT_SETTINGS}. */
export interface ChatSettings {
  /** Server type of the frontends holding the players, when the room runs on a backend. */
  readonly frontendType?: string;
}

/** Container token of {@link ChatSettings}. */
export const CHAT_SETTINGS = Symbol.for('pitaya-ts-chat:Settings');

/**
 * The room every client joins: a port of Pitaya's chat demo (examples/demo/chat). Its routes, bodies
 * and pushes are declared by {@link RoomService}; `HandlerOf` checks the methods against it.
 */
@Handler(RoomService)
export class RoomHandler implements HandlerOf<typeof RoomService>, OnInit, OnAfterInit {
  private readonly broadcastOptions: BroadcastOptions;

  constructor(
    @Inject(GROUPS) private readonly groups: Groups,
    private readonly timers: Timers,
    @Inject(LOGGER) private readonly log: Logger,
    @Optional() @Inject(CHAT_SETTINGS) settings?: ChatSettings,
  ) {
    this.broadcastOptions = { frontendType: settings?.frontendType };
  }

  async onInit(): Promise<void> {
    // Groups in etcd outlive a server: the room may exist already.
    await this.groups.create('room').catch((error: Error) => {
      if (error.message !== 'group already exists') throw error;
    });
  }

  onAfterInit(): void {
    this.timers.every(60_000, async () => {
      this.log.debug({ count: await this.groups.count('room') }, 'users in the room');
    });
  }

  /**
   * Binds the session (its id as uid, like the demo; prefixed with the frontend's id when the room
   * runs on a backend behind several frontends), sends the member list and announces the newcomer.
   */
  async join(ctx: Context): Promise<JoinResponse> {
    const { session } = ctx;
    try {
      await session.bind(session.isFrontend ? String(session.id) : `${session.frontendId.slice(0, 8)}:${session.id}`);
    } catch (error) {
      throw PitayaError.wrap(error, 'RH-000', { failed: 'bind' });
    }
    const uid = session.uid!;
    await session.push('onMembers', { members: await this.groups.members('room') });
    await this.groups.broadcast('room', 'onNewUser', { content: `New user: ${uid}` }, this.broadcastOptions);
    await this.groups.add('room', uid);
    if (session.isFrontend) session.onClose(() => this.groups.remove('room', uid).catch(() => undefined));
    return { code: 0, result: 'success' };
  }

  /** Relays a chat line to everyone in the room (validated by {@link UserMessage} before it gets here). */
  async message(_ctx: Context, message: UserMessage): Promise<void> {
    await this.groups.broadcast('room', 'onMessage', { name: message.name, content: message.content }, this.broadcastOptions);
  }
}
