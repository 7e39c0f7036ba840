import { z } from 'zod';
import { defineService, type ApiOf } from '@pitaya-ts/protocol';
import { createTypedClient, PitayaClient, type TypedPitayaClient } from '@pitaya-ts/client';

// Compile-time tests: `tsc -p tsconfig.test.json` (part of `npm test`) fails if any @ts-expect-error
// line stops being an error, or if a correct use stops compiling. Jest only runs the runtime part.

const Shop = defineService('shop', {
  buy: { request: z.object({ item: z.string(), qty: z.number().int().default(1) }), response: z.object({ total: z.number() }) },
  list: { response: z.object({ items: z.array(z.string()) }) },
  browse: { request: z.object({ page: z.number() }), notify: true },
}, { pushes: { onSale: z.object({ item: z.string(), price: z.number() }) } });
const Bank = defineService('bank', { balance: { response: z.object({ cents: z.number() }) } }, { pushes: { onPaid: z.object({ cents: z.number() }) } });

type Api = ApiOf<'game', [typeof Shop, typeof Bank]>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

async function compileTimeChecks(api: TypedPitayaClient<Api>): Promise<void> {
  const bought = await api.request('game.shop.buy', { item: 'sword' }); // qty has a default: optional for the sender
  assertType<Equal<typeof bought, { total: number }>>();
  const listed = await api.request('game.shop.list');
  assertType<Equal<typeof listed, { items: string[] }>>();
  assertType<Equal<Awaited<ReturnType<typeof api.request<'game.bank.balance'>>>, { cents: number }>>();
  api.notify('game.shop.browse', { page: 2 });
  api.on('onSale', (sale) => assertType<Equal<typeof sale, { item: string; price: number }>>());
  api.on('onPaid', (paid) => paid.cents.toFixed());

  // @ts-expect-error an unknown route
  await api.request('game.shop.steal', {});
  // @ts-expect-error a route of another server type
  await api.request('lobby.shop.buy', { item: 'sword' });
  // @ts-expect-error a wrong body
  await api.request('game.shop.buy', { item: 42 });
  // @ts-expect-error a missing body
  await api.request('game.shop.buy');
  // @ts-expect-error a notify is not a request
  await api.request('game.shop.browse', { page: 1 });
  // @ts-expect-error a request is not a notify
  api.notify('game.shop.buy', { item: 'x' });
  // @ts-expect-error the reply is { total: number }
  (await api.request('game.shop.buy', { item: 'x' })).items;
  // @ts-expect-error an undeclared push
  api.on('onRefund', () => undefined);
  // @ts-expect-error the push body is { item, price }
  api.on('onSale', (sale) => sale.cents);
}
void compileTimeChecks;

test('createTypedClient returns the same client (no wrapper, no cost) with its untyped side', () => {
  const client = Object.create(PitayaClient.prototype) as PitayaClient;
  const typed = createTypedClient<Api>(client);
  expect(typed).toBe(client);
  expect(typed.untyped).toBe(client);
});
