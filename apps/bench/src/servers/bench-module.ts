import { Context, GROUPS, Handler, Inject, Module, Notify, Route, type Groups } from '@pitaya-ts/core';
import { z } from 'zod';

/** Schema of the echo body the generator sends (`{"pad":"…"}`): what a user would declare. */
export const EchoBody = z.object({ pad: z.string().max(65_536) });

/** Body of `bench.join`. */
export interface JoinBody {
  readonly room: string;
  readonly uid: string;
}

/** Body of `bench.send`: `ts` is the generator's intended send time, carried through untouched. */
export interface SendBody {
  readonly ts: number;
  readonly room: string;
  readonly pad?: string;
}

function isJoinBody(body: unknown): body is JoinBody {
  const b = body as Partial<JoinBody> | null;
  return typeof b?.room === 'string' && typeof b.uid === 'string';
}

/**
 * The bench app: what a user would write. `echo` returns its body; `join` binds the uid and
 * adds it to the room's group; `send` (a notify) broadcasts its body to the room.
 */
@Handler('bench')
export class BenchHandler {
  private readonly rooms = new Set<string>();

  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }

  /** `echo` with a declared body: the A-schema rows measure what validation costs. */
  @Route({ request: EchoBody })
  echoValidated(_ctx: Context, body: z.infer<typeof EchoBody>): unknown {
    return body;
  }

  @Route()
  async join(ctx: Context, body: unknown): Promise<{ ok: boolean }> {
    if (!isJoinBody(body)) return { ok: false };
    const { room, uid } = body;
    await ctx.session.bind(uid);
    if (!this.rooms.has(room)) {
      this.rooms.add(room);
      await this.groups.create(room);
    }
    await this.groups.add(room, uid);
    ctx.session.onClose(() => this.groups.remove(room, uid).catch(() => undefined));
    return { ok: true };
  }

  @Notify()
  async send(_ctx: Context, body: SendBody): Promise<void> {
    await this.groups.broadcast(body.room, 'onMsg', body);
  }
}

/** Root module of the bench app. */
@Module({ handlers: [BenchHandler] })
export class BenchModule {}
