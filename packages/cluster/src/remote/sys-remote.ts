import { Context, Remote, Route, SessionPool } from '@pitaya-ts/core';
import { MessageEncoder } from '@pitaya-ts/core/internal';
import { decodeBatchPush, decodeMultiPush, encodeBatchPushReply, encodeMultiPushReply, type BatchPush } from '../messaging/batch-push';
import { decodeKickMsg, decodeSession, encodeKickAnswer, encodeResponse } from '../protos/pitaya-codecs';

const ACK_RESPONSE = encodeResponse({ data: Buffer.from('ack') });

/**
 * Pitaya's `sys` remote (`sys.bindsession`, `sys.pushsession`, `sys.kick`): how a backend, ours or
 * Go's, changes a session that lives on this frontend. Arguments and replies are Pitaya's protobuf
 * messages; errors travel as PIT-000 like Go's plain errors.
 */
@Remote({ name: 'sys', nameTransform: (method) => method.toLowerCase() })
export class SysRemote {
  constructor(
    private readonly pool: SessionPool,
    private readonly encoder: MessageEncoder,
  ) {}

  /** Binds a uid to a frontend session (runs this frontend's bind callbacks). */
  @Route({ raw: true })
  async bindSession(_ctx: Context, body: Uint8Array): Promise<Uint8Array> {
    const message = decodeSession(body);
    const session = this.pool.get(message.id);
    if (!session) throw new Error('session not found');
    await session.bind(message.uid);
    return ACK_RESPONSE;
  }

  /** Replaces a frontend session's data with the backend's copy (empty data changes nothing). */
  @Route({ raw: true })
  pushSession(_ctx: Context, body: Uint8Array): Uint8Array {
    const message = decodeSession(body);
    const session = this.pool.get(message.id);
    if (!session) throw new Error('session not found');
    session.setEncodedData(message.data);
    return ACK_RESPONSE;
  }

  /** Kicks the session bound to a uid. */
  @Route({ raw: true })
  async kick(_ctx: Context, body: Uint8Array): Promise<Uint8Array> {
    const message = decodeKickMsg(body);
    const session = this.pool.getByUid(message.userId);
    if (!session) throw new Error('session not found');
    await session.kick();
    return encodeKickAnswer({ kicked: true });
  }

  /**
   * pitaya-ts only (`sys.pushusers`, advertised in the frontend's metadata so Go servers never
   * call it): one push to many users of this frontend, framed once. Answers the uids not delivered.
   */
  @Route({ raw: true })
  pushUsers(_ctx: Context, body: Uint8Array): Uint8Array {
    return encodeBatchPushReply(this.deliver(decodeBatchPush(body)));
  }

  /**
   * pitaya-ts only (`sys.pushusersmulti`, advertised like `sys.pushusers`): the batched pushes a
   * backend sent this frontend in one turn, delivered in order. Answers, per push, the uids not delivered.
   */
  @Route({ raw: true })
  pushUsersMulti(_ctx: Context, body: Uint8Array): Uint8Array {
    const pushes = decodeMultiPush(body);
    const failed = new Array<string[]>(pushes.length);
    let start = 0;
    while (start < pushes.length) {
      // A run: consecutive pushes to the same list (the decoder shares the array), e.g. one room's
      // broadcasts of a turn. Each member takes the whole run in one write, framed once for all.
      const uids = pushes[start]!.uids;
      let end = start + 1;
      while (end < pushes.length && pushes[end]!.uids === uids) end++;
      const runFailed = this.deliverRun(pushes, start, end);
      for (let i = start; i < end; i++) failed[i] = runFailed;
      start = end;
    }
    return encodeMultiPushReply(failed);
  }

  /** Frames the push once and hands it to each member connected here; returns the others. */
  private deliver(push: BatchPush): string[] {
    return this.deliverRun([push], 0, 1);
  }

  /**
   * Frames pushes `start`..`end` (same uids) once each and hands each member connected here the run
   * in one write (a single push as one packet); returns the others.
   */
  private deliverRun(pushes: readonly BatchPush[], start: number, end: number): string[] {
    const packets = new Array<Uint8Array>(end - start);
    for (let i = start; i < end; i++) packets[i - start] = this.encoder.pushBytes(pushes[i]!.route, pushes[i]!.data);
    const single = packets.length === 1 ? packets[0] : undefined;
    const failed: string[] = [];
    for (const uid of pushes[start]!.uids) {
      const session = this.pool.getByUid(uid);
      if (!session || !(single !== undefined ? session.sendPacket(single) : session.sendPackets(packets))) failed.push(uid);
    }
    return failed;
  }
}
