import type { PinusApplication, PinusFrontendSession } from './pinus-types';

/**
 * The pinus equivalent of the bench app, `connector.benchHandler.*`: `echo` returns its body,
 * `join` binds the uid and adds it to the room's channel, `send` pushes its body to the channel.
 * The orchestrator copies the compiled file to `<base>/app/servers/connector/handler/benchHandler.js`
 * (pinus loads handlers by folder), so it must not import anything at run time.
 */
export class PinusBenchHandler {
  constructor(private readonly app: PinusApplication) {}

  async echo(msg: unknown): Promise<unknown> {
    return msg;
  }

  async join(msg: { room: string; uid: string }, session: PinusFrontendSession): Promise<{ ok: boolean }> {
    await session.abind(msg.uid);
    const sid = this.app.getServerId();
    const channel = this.app.get('channelService').getChannel(msg.room, true)!;
    channel.add(msg.uid, sid);
    session.on('closed', () => void channel.leave(msg.uid, sid));
    return { ok: true };
  }

  async send(msg: { room: string }): Promise<void> {
    await this.app.get('channelService').getChannel(msg.room)?.apushMessage('onMsg', msg);
  }
}

/** pinus's handler factory convention. */
export default function (app: PinusApplication): PinusBenchHandler {
  return new PinusBenchHandler(app);
}
