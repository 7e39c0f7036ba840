import { Context, Handler, Inject, Injectable, Module, Notify, PitayaError, Route } from '@pitaya-ts/core';
import { ClientError } from '@pitaya-ts/client/node';
import { Test, waitFor, type TestingApp } from '@pitaya-ts/testing';

const PRICES = Symbol('prices');
interface Prices { of(item: string): Promise<number> }

@Injectable()
class RemotePrices implements Prices {
  of(): Promise<number> {
    throw new Error('the real price service is not reachable from tests');
  }
}

@Handler('shop')
class ShopHandler {
  constructor(@Inject(PRICES) private readonly prices: Prices) {}

  @Route()
  async quote(_ctx: Context, body: { item: string }): Promise<{ item: string; price: number }> {
    if (typeof body?.item !== 'string') throw new PitayaError('PIT-400', 'item must be a string');
    return { item: body.item, price: await this.prices.of(body.item) };
  }

  @Notify()
  async watch(ctx: Context, body: { item: string }): Promise<void> {
    await ctx.session.push('onPrice', { item: body.item, price: await this.prices.of(body.item) });
  }
}

@Module({ providers: [{ provide: PRICES, useClass: RemotePrices }], exports: [PRICES] })
class PricesModule {}

@Module({ imports: [PricesModule], handlers: [ShopHandler] })
class ShopModule {}

describe('testing module', () => {
  let testing: TestingApp | undefined;
  afterEach(async () => {
    await testing?.close();
    testing = undefined;
  });

  it('tests a handler with an overridden provider, in memory', async () => {
    testing = await Test.createTestingModule(ShopModule)
      .overrideProvider<Prices>(PRICES).useValue({ of: async (item) => (item === 'apple' ? 3 : 5) })
      .compile({ serverType: 'shop' });
    expect(testing.url).toMatch(/^memory:\/\//);
    expect(testing.app.listening).toEqual([{ host: 'memory', port: 0 }]);
    const client = await testing.connect();
    expect(await client.request('shop.quote', { item: 'apple' })).toEqual({ item: 'apple', price: 3 });
    const error = await client.request('shop.quote', { item: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('PIT-400');
    const pushes: unknown[] = [];
    client.on('onPrice', (p) => pushes.push(p));
    client.notify('shop.watch', { item: 'pear' });
    await waitFor(() => pushes.length === 1);
    expect(pushes).toEqual([{ item: 'pear', price: 5 }]);
  });

  it('serves over a real socket on a free port when asked', async () => {
    testing = await Test.createTestingModule({ imports: [ShopModule] })
      .overrideProvider<Prices>(PRICES).useFactory({ factory: () => ({ of: async () => 1 }) })
      .compile({ serverType: 'shop', transport: 'tcp' });
    expect(testing.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const client = await testing.connect();
    expect(await client.request('shop.quote', { item: 'x' })).toEqual({ item: 'x', price: 1 });
  });

  it('without an override the real provider runs (and its failure reaches the client as PIT-000)', async () => {
    testing = await Test.createTestingModule(ShopModule).compile({ serverType: 'shop' });
    const client = await testing.connect();
    const error = await client.request('shop.quote', { item: 'x' }).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe('PIT-000');
  });

  it('closes its clients with the application', async () => {
    testing = await Test.createTestingModule(ShopModule).compile({ serverType: 'shop' });
    const client = await testing.connect();
    const closed = new Promise<string>((resolve) => client.onClose(resolve));
    await testing.close();
    testing = undefined;
    await expect(closed).resolves.toBeDefined();
    expect(client.connected).toBe(false);
  });
});
