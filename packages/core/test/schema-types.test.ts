import { z } from 'zod';
import { defineService, Handler, Notify, Route, type Context, type HandlerOf } from '@pitaya-ts/core';

// Compile-time tests of the server side, checked by `tsc -p tsconfig.test.json` in `npm test`: the
// handler's parameter and return types come from the schemas, a mismatch does not compile.

const Join = z.object({ room: z.string(), seats: z.number().default(1) });
const Joined = z.object({ ok: z.boolean() });
const Api = defineService('lobby', { join: { request: Join, response: Joined }, leave: { notify: true } });

@Handler('typed')
export class TypedHandler {
  @Route({ request: Join, response: Joined })
  join(_ctx: Context, body: { room: string; seats: number }): { ok: boolean } {
    return { ok: body.seats > 0 };
  }

  @Route({ request: Join })
  async joinAsync(_ctx: Context, body: z.infer<typeof Join>): Promise<unknown> {
    return body.room;
  }

  // @ts-expect-error the body parameter does not accept the schema's output
  @Route({ request: Join })
  wrongBody(_ctx: Context, body: { room: number }): unknown {
    return body;
  }

  // @ts-expect-error the reply does not match the response schema
  @Route({ response: Joined })
  wrongReply(): { ok: string } {
    return { ok: 'yes' };
  }

  // @ts-expect-error neither does a promise of it
  @Route({ response: Joined })
  async wrongAsyncReply(): Promise<{ fine: true }> {
    return { fine: true };
  }

  @Notify({ request: Join })
  noted(_ctx: Context, _body: z.infer<typeof Join>): void {}
}

@Handler(Api)
export class LobbyHandler implements HandlerOf<typeof Api> {
  join(_ctx: Context, body: z.infer<typeof Join>): z.infer<typeof Joined> {
    return { ok: body.room.length > 0 };
  }
  leave(): void {}
}

// @ts-expect-error a contract route is missing
export class Incomplete implements HandlerOf<typeof Api> {
  join(): { ok: boolean } {
    return { ok: true };
  }
}

export class WrongReply implements HandlerOf<typeof Api> {
  // @ts-expect-error join returns the wrong reply
  join(): { ok: number } {
    return { ok: 1 };
  }
  leave(): void {}
}

test('the typed handlers are plain classes at run time', () => {
  expect(new LobbyHandler().join({} as Context, { room: 'a', seats: 1 })).toEqual({ ok: true });
});
