import { encodeMessagePacket, MessageType, utf8Encode } from '@pitaya-ts/protocol';
import { Handler, Module, Route, type PitayaApplication } from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

let started = 0;

@Handler('svc')
class SvcHandler {
  @Route()
  async slow(_ctx: unknown, body: { ms: number }): Promise<unknown> {
    started++;
    await new Promise((resolve) => setTimeout(resolve, body.ms));
    return { ok: true };
  }
  @Route()
  async hang(): Promise<unknown> {
    started++;
    return new Promise(() => undefined);
  }
}
@Module({ handlers: [SvcHandler] })
class AppModule {}

const request = (id: number, route: string, body: unknown): Buffer =>
  Buffer.from(encodeMessagePacket({ type: MessageType.Request, id, route, data: utf8Encode(JSON.stringify(body)) }));

/** Sends `count` requests back to back (one TCP write; one WebSocket message each). */
function pipeline(client: RawClient, transport: 'tcp' | 'ws', count: number, route: string, body: unknown): void {
  const packets = Array.from({ length: count }, (_, i) => request(1 + i, route, body));
  if (transport === 'tcp') client.send(Buffer.concat(packets));
  else for (const p of packets) client.send(p);
}

/** Every message received until the connection closes. */
async function answers(client: RawClient): Promise<{ id: number; error: boolean; body: unknown }[]> {
  const out: { id: number; error: boolean; body: unknown }[] = [];
  for (;;) {
    try {
      const m = await client.nextMessage(() => true, 15_000);
      out.push({ id: m.id, error: m.error === true, body: JSON.parse(Buffer.from(m.data).toString()) });
    } catch {
      return out;
    }
  }
}

describe('graceful shutdown answers every request it has read', () => {
  let app: PitayaApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([['tcp', 1], ['tcp', 20], ['ws', 1], ['ws', 20]] as const)('busy (%s, %i clients): requests in progress and queued behind them are all answered before the connections close', async (transport, n) => {
    const started0 = started;
    const s = await startApp(AppModule);
    app = s.app;
    const clients = await Promise.all(Array.from({ length: n }, () => RawClient.connect(transport, transport === 'tcp' ? s.tcpPort : s.wsPort)));
    await Promise.all(clients.map((c) => c.handshake()));
    for (const c of clients) pipeline(c, transport, 10, 'connector.svc.slow', { ms: 50 });
    // Every session is inside its first request, so all ten were read.
    await waitFor(() => started - started0 >= n, { message: 'first requests started' });
    const collected = clients.map((c) => answers(c));
    await app.close();
    const results = await Promise.all(collected);
    for (const r of results) {
      expect(r.map((a) => a.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(r.every((a) => !a.error)).toBe(true);
    }
  }, 30_000);

  it('idle: closes at once and the connections are closed', async () => {
    const s = await startApp(AppModule);
    app = s.app;
    const client = await RawClient.tcp(s.tcpPort);
    await client.handshake();
    const at = Date.now();
    await app.close();
    await client.waitClosed();
    expect(Date.now() - at).toBeLessThan(2000);
  });

  it('at shutdown.timeout, requests still in progress or queued are answered PIT-503, then the connection closes', async () => {
    const started0 = started;
    const s = await startApp(AppModule, { config: { shutdown: { timeout: 300 } } });
    app = s.app;
    const client = await RawClient.tcp(s.tcpPort);
    await client.handshake();
    client.send(Buffer.concat([request(1, 'connector.svc.hang', {}), request(2, 'connector.svc.slow', { ms: 1 }), request(3, 'connector.svc.slow', { ms: 1 })]));
    await waitFor(() => started - started0 === 1);
    const collected = answers(client);
    const at = Date.now();
    await app.close();
    expect(Date.now() - at).toBeLessThan(3000);
    const r = await collected;
    expect(r.map((a) => [a.id, a.error, (a.body as { code?: string }).code])).toEqual([[1, true, 'PIT-503'], [2, true, 'PIT-503'], [3, true, 'PIT-503']]);
  });
});
