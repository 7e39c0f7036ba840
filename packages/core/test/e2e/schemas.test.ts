import { z } from 'zod';
import {
  BootstrapError, Context, createLogger, defineService, Handler, METRICS_REPORTER, Module, NoopMetricsReporter, Notify, Pitaya, Route,
  type HandlerOf, type OnInit, type PitayaApplication, type RefusalReason, type StandardSchemaV1,
} from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const JoinRequest = z.object({ room: z.string().min(1), seats: z.number().int().default(1), tags: z.array(z.string()).max(3).optional() });
const JoinReply = z.object({ room: z.string(), seats: z.number() });
const Line = z.object({ text: z.string() });
const received: unknown[] = [];

class Counting extends NoopMetricsReporter {
  readonly refusals: RefusalReason[] = [];
  override refused(reason?: RefusalReason): void {
    if (reason) this.refusals.push(reason);
  }
}

/** An async Standard Schema that is not zod: any library implementing the interface works. */
const evenAsync: StandardSchemaV1<number, number> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: async (value) => (typeof value === 'number' && value % 2 === 0 ? { value } : { issues: [{ message: 'must be even', path: [{ key: 'n' }] }] }),
  },
};

class Base {
  /** Inherited and undecorated: never a route. */
  inheritedHelper(): unknown {
    return { leaked: true };
  }
  @Route()
  inheritedRoute(): unknown {
    return { inherited: true };
  }
}

@Handler('room')
class RoomHandler extends Base implements OnInit {
  inits = 0;
  onInit(): void {
    this.inits++;
  }
  @Route({ request: JoinRequest, response: JoinReply })
  join(_ctx: Context, body: z.infer<typeof JoinRequest>): z.infer<typeof JoinReply> {
    received.push(body);
    return { room: body.room, seats: body.seats };
  }
  @Notify({ request: Line })
  say(_ctx: Context, body: z.infer<typeof Line>): void {
    received.push(body);
  }
  @Route({ request: evenAsync })
  even(_ctx: Context, n: number): { n: number } {
    return { n };
  }
  /** A body is validated even when the method does not read it. */
  @Route({ request: Line })
  ping(): { pong: true } {
    return { pong: true };
  }
  @Route()
  plain(_ctx: Context, body: unknown): unknown {
    return body;
  }
  // TypeScript-private: public at run time, but not decorated, so never a route.
  private secret(): unknown {
    return { leaked: true };
  }
  helper(): unknown {
    return this.secret();
  }
  _underscored(): unknown {
    return { leaked: true };
  }
}

const LobbyService = defineService('lobby', {
  enter: { request: z.object({ nick: z.string().max(8) }), response: z.object({ hello: z.string() }) },
  leave: { notify: true },
}, { pushes: { onEnter: z.object({ nick: z.string() }) } });

@Handler(LobbyService)
class LobbyHandler implements HandlerOf<typeof LobbyService> {
  enter(_ctx: Context, body: { nick: string }): { hello: string } {
    return { hello: body.nick };
  }
  leave(): void {}
  notInTheContract(): unknown {
    return { leaked: true };
  }
}

const metrics = new Counting();

@Module({ handlers: [RoomHandler, LobbyHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
class SchemaModule {}

describe('declared bodies (Standard Schema)', () => {
  let app: PitayaApplication;
  let client: RawClient;

  beforeAll(async () => {
    ({ app } = await startApp(SchemaModule));
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    received.length = 0;
    metrics.refusals.length = 0;
    client = await RawClient.tcp(app.listening[0]!.port);
    await client.handshake();
  });
  afterEach(() => client.close());

  it('passes a valid body to the handler as the schema\'s output (defaults applied)', async () => {
    const reply = await client.request('connector.room.join', { room: 'lobby' });
    expect(reply.error).toBe(false);
    expect(json(reply)).toEqual({ room: 'lobby', seats: 1 });
    expect(received).toEqual([{ room: 'lobby', seats: 1 }]);
  });

  it('answers PIT-400 with the failing path and message, without running the handler, and counts it', async () => {
    const reply = await client.request('connector.room.join', { room: 'lobby', seats: 'two' });
    expect(reply.error).toBe(true);
    expect(json(reply)).toEqual({
      code: 'PIT-400',
      msg: 'invalid body at seats: Invalid input: expected number, received string',
      metadata: { path: 'seats', reason: 'Invalid input: expected number, received string' },
    });
    const nested = json(await client.request('connector.room.join', { room: 'x', tags: ['a', 7] })) as { code: string; metadata: { path: string } };
    expect(nested).toMatchObject({ code: 'PIT-400', metadata: { path: 'tags[1]' } });
    const notAnObject = json(await client.request('connector.room.join', 42)) as { msg: string; metadata: { path: string } };
    expect(notAnObject.msg).toBe('invalid body: Invalid input: expected object, received number');
    expect(received).toEqual([]);
    expect(metrics.refusals).toEqual(['validation', 'validation', 'validation']);
  });

  it('validates notifies and bodies the method ignores; never echoes the received value', async () => {
    client.sendNotify('connector.room.say', { text: 5 });
    client.sendNotify('connector.room.say', { text: 'ok' });
    const ping = json(await client.request('connector.room.ping', { text: ['secret-value'] })) as { code: string; msg: string };
    expect(ping.code).toBe('PIT-400');
    expect(ping.msg).not.toContain('secret-value');
    expect(json(await client.request('connector.room.ping', { text: 'hi' }))).toEqual({ pong: true });
    expect(received).toEqual([{ text: 'ok' }]);
    expect(metrics.refusals).toEqual(['validation', 'validation']);
  });

  it('supports asynchronous validators of any Standard Schema library', async () => {
    expect(json(await client.request('connector.room.even', 4))).toEqual({ n: 4 });
    expect(json(await client.request('connector.room.even', 3))).toMatchObject({ code: 'PIT-400', msg: 'invalid body at n: must be even' });
  });

  it('binds a defineService contract: its routes, schemas and pushes', async () => {
    expect(json(await client.request('connector.lobby.enter', { nick: 'ana' }))).toEqual({ hello: 'ana' });
    expect(json(await client.request('connector.lobby.enter', { nick: 'far-too-long' }))).toMatchObject({ code: 'PIT-400', metadata: { path: 'nick' } });
    expect(app.routes.handler('connector.lobby.leave')?.notify).toBe(true);
    expect(app.routes.pushes.map((p) => [p.route, p.owner])).toEqual([['onEnter', 'LobbyHandler']]);
  });

  it('exposes only declared routes: helpers, TS-private, inherited, _-prefixed methods and hooks are PIT-404 over the wire', async () => {
    expect(app.routes.handlers.map((r) => r.route).sort()).toEqual([
      'connector.lobby.enter', 'connector.lobby.leave',
      'connector.room.even', 'connector.room.inheritedRoute', 'connector.room.join', 'connector.room.ping', 'connector.room.plain', 'connector.room.say',
    ]);
    for (const method of ['helper', 'secret', 'inheritedHelper', '_underscored', 'onInit', 'constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const reply = await client.request(`connector.room.${method}`, {});
      expect([method, reply.error, (json(reply) as { code: string }).code]).toEqual([method, true, 'PIT-404']);
    }
    expect(json(await client.request('connector.lobby.notInTheContract', {}))).toMatchObject({ code: 'PIT-404' });
    expect(json(await client.request('connector.room.inheritedRoute', {}))).toEqual({ inherited: true });
    expect(app.get(RoomHandler).inits).toBe(1);
  });
});

describe('declared bodies: start-up checks', () => {
  const quiet = { serverType: 'game', frontend: false, logger: createLogger({ level: 'silent' }), env: {} } as const;
  async function bootError(root: new () => unknown): Promise<BootstrapError> {
    const error = await Pitaya.create(root, quiet).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BootstrapError);
    return error as BootstrapError;
  }

  it('refuses a schema that is not a Standard Schema', async () => {
    @Handler('h') class H { @Route({ request: { parse: () => 1 } as never }) x(): unknown { return {}; } }
    @Module({ handlers: [H] }) class M {}
    expect((await bootError(M)).message).toBe('H.x: the request schema does not implement Standard Schema v1 (~standard.validate)');
  });

  it('refuses a schema on a raw body, a decorated hook, a missing contract method and a class without routes', async () => {
    // The decorator's types already refuse it: the body parameter cannot take the schema's output.
    // @ts-expect-error
    @Handler('h') class Raw { @Route({ raw: true, request: Line }) x(_c: Context, _b: Uint8Array): unknown { return {}; } }
    @Module({ handlers: [Raw] }) class M1 {}
    expect((await bootError(M1)).code).toBe('INVALID_SCHEMA');
    @Handler('h') class Hook { @Route() onInit(): void {} }
    @Module({ handlers: [Hook] }) class M2 {}
    expect((await bootError(M2)).message).toContain('Hook.onInit cannot be a route');
    @Handler(LobbyService) class Missing { enter(): unknown { return {}; } }
    @Module({ handlers: [Missing] }) class M3 {}
    expect((await bootError(M3)).message).toBe('Missing has no method "leave", a route of its contract "lobby"');
    @Handler('h') class Implicit { join(): unknown { return {}; } }
    @Module({ handlers: [Implicit] }) class M4 {}
    expect((await bootError(M4)).message).toContain('Implicit is a @Handler() class without routes: routes are opt-in');
  });
});
