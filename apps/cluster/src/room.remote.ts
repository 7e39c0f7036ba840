import { Context, GROUPS, Inject, Remote, Route, type Groups } from '@pitaya-ts/core';

/** What the connector tells the room backend. */
@Remote('room')
export class RoomRemote {
  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  /** A user's connection closed on a frontend: drop them from the room. */
  @Route()
  async leave(_ctx: Context, body: { uid: string }): Promise<{ left: boolean }> {
    const left = await this.groups.remove('room', body.uid).then(() => true, () => false);
    return { left };
  }
}
