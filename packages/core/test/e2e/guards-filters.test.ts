import {
  Body, Catch, Context, Ctx, Guard, Handler, Module, Route, PitayaError, Session, Uid, UseFilters, UseGuards, createLogger, Pitaya, ws,
  type CanActivate, type ExceptionFilter, type PitayaApplication,
} from '@pitaya-ts/core';
import { ClientError, PitayaClient } from '@pitaya-ts/client/node';
import type { Session as SessionType } from '@pitaya-ts/core';

const calls: string[] = [];

/** Refuses unbound sessions, except on login: runs for every handler route of the application. */
@Guard({ code: 'PIT-401', message: 'log in first' })
class MustBeBound implements CanActivate {
  canActivate(ctx: Context): boolean {
    calls.push('bound-guard');
    return ctx.route.endsWith('.login') || ctx.session.uid !== undefined;
  }
}

/** An asynchronous role check (as if asking a store). */
@Guard({ code: 'RH-403', message: 'admins only' })
class AdminsOnly implements CanActivate {
  async canActivate(ctx: Context): Promise<boolean> {
    calls.push('admin-guard');
    await new Promise((resolve) => setImmediate(resolve));
    return ctx.session.uid === 'admin';
  }
}

class OutOfStock extends Error {
  constructor(readonly item: string) { super(`no ${item} left`); }
}

@Catch(OutOfStock)
class ShopErrors implements ExceptionFilter<OutOfStock> {
  catch(error: OutOfStock): PitayaError {
    return new PitayaError('SHOP-001', error.message, { item: error.item });
  }
}

@Catch()
class LastResort implements ExceptionFilter {
  catch(error: unknown): PitayaError {
    return error instanceof PitayaError ? error : new PitayaError('APP-500', 'something went wrong');
  }
}

@Handler('shop')
@UseFilters(ShopErrors)
class ShopHandler {
  @Route()
  async login(ctx: Context, body: { uid: string }): Promise<unknown> {
    await ctx.session.bind(body.uid);
    return { ok: true };
  }

  @Route()
  buy(@Body() body: { item: string }, @Uid() uid: string | undefined, @Session() session: SessionType, @Ctx() ctx: Context): unknown {
    calls.push('buy');
    if (body.item === 'unicorn') throw new OutOfStock('unicorn');
    if (body.item === 'bug') throw new TypeError('internal detail');
    return { item: body.item, uid, sameSession: session === ctx.session, route: ctx.route };
  }

  @Route()
  @UseGuards(AdminsOnly)
  restock(@Body() body: { item: string }): unknown {
    calls.push('restock');
    return { restocked: body.item };
  }

  @Route()
  whoami(@Uid() uid: string | undefined): unknown {
    return { uid };
  }
}

@Module({ handlers: [ShopHandler], guards: [MustBeBound], filters: [LastResort] })
class ShopModule {}

describe('guards, exception filters and parameter decorators', () => {
  let app: PitayaApplication;
  const clients: PitayaClient[] = [];
  const connect = async (): Promise<PitayaClient> => {
    const client = await PitayaClient.connect(`ws://127.0.0.1:${app.listening[0]!.port}/`);
    clients.push(client);
    return client;
  };
  const failure = async (promise: Promise<unknown>): Promise<ClientError> => {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  };

  beforeAll(async () => {
    app = await Pitaya.create(ShopModule, {
      serverType: 'shop', acceptors: [ws({ port: 0, host: '127.0.0.1' })], logger: createLogger({ level: 'silent' }), env: {},
    });
    await app.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
  });
  beforeEach(() => (calls.length = 0));

  it('a global guard refuses with its code before the body is decoded', async () => {
    const client = await connect();
    // The body is not JSON: had it been decoded first, the answer would be PIT-400.
    const error = await failure(client.request('shop.buy', new TextEncoder().encode('{not json')));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'PIT-401', message: 'log in first' });
    expect(calls).toEqual(['bound-guard']);
  });

  it('passes bound sessions, and injects @Body, @Uid, @Session and @Ctx', async () => {
    const client = await connect();
    await client.request('shop.login', { uid: 'ana' });
    expect(await client.request('shop.buy', { item: 'apple' })).toEqual({ item: 'apple', uid: 'ana', sameSession: true, route: 'shop.shop.buy' });
    expect(await client.request('shop.whoami', {})).toEqual({ uid: 'ana' });
  });

  it('a method guard (asynchronous) refuses with its own code; it runs after the global one', async () => {
    const client = await connect();
    await client.request('shop.login', { uid: 'bob' });
    calls.length = 0;
    const error = await failure(client.request('shop.restock', { item: 'apple' }));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'RH-403', message: 'admins only' });
    expect(calls).toEqual(['bound-guard', 'admin-guard']);
    const admin = await connect();
    await admin.request('shop.login', { uid: 'admin' });
    expect(await admin.request('shop.restock', { item: 'apple' })).toEqual({ restocked: 'apple' });
  });

  it('a class filter maps an error class to a code, message and metadata', async () => {
    const client = await connect();
    await client.request('shop.login', { uid: 'carl' });
    const error = await failure(client.request('shop.buy', { item: 'unicorn' }));
    expect({ code: error.code, message: error.message, metadata: error.metadata }).toEqual({ code: 'SHOP-001', message: 'no unicorn left', metadata: { item: 'unicorn' } });
  });

  it('the global filter catches what the specific ones do not, without leaking the message', async () => {
    const client = await connect();
    await client.request('shop.login', { uid: 'dora' });
    const error = await failure(client.request('shop.buy', { item: 'bug' }));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'APP-500', message: 'something went wrong' });
  });

  it('decides body decoding from @Body(), and wraps only routes that have guards or filters', async () => {
    expect(app.routes.handler('shop.shop.buy')!.bodyMode).toBe('decoded');
    expect(app.routes.handler('shop.shop.whoami')!.bodyMode).toBe('none');
    expect(app.routes.handler('shop.shop.login')!.enhanced).toBeDefined(); // the global guard and filter apply
    @Handler('plain') class Plain { @Route() ping(): unknown { return {}; } }
    @Module({ handlers: [Plain] }) class PlainModule {}
    const plain = await Pitaya.create(PlainModule, { serverType: 'p', frontend: false, logger: createLogger({ level: 'silent' }), env: {} });
    expect(plain.routes.handler('p.plain.ping')!.enhanced).toBeUndefined();
  });

  it('refuses a route whose parameters are only partly decorated', async () => {
    @Handler('half') class Half { @Route() m(@Body() _body: unknown, _other: unknown): unknown { return {}; } }
    @Module({ handlers: [Half] }) class HalfModule {}
    await expect(Pitaya.create(HalfModule, { serverType: 'p', frontend: false, logger: createLogger({ level: 'silent' }), env: {} })).rejects.toThrow(
      'Half.m: parameter #1 has no @Body(), @Session(), @Uid() or @Ctx(); decorate every parameter or none',
    );
  });
});
