import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import { Context, Handler, Route, Module, type PitayaApplication } from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

@Handler('svc')
class SvcHandler {
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
  @Route()
  kickMe(ctx: Context): { ok: true } {
    setTimeout(() => void ctx.session.kick(), 10);
    return { ok: true };
  }
}
@Module({ handlers: [SvcHandler] })
class AppModule {}

const HANDSHAKE = encodePacket(PacketType.Handshake, utf8Encode('{"sys":{"platform":"test"}}'));

describe('connection handling', () => {
  let app: PitayaApplication;
  let tcpPort: number;
  let wsPort: number;

  beforeAll(async () => {
    ({ app, tcpPort, wsPort } = await startApp(AppModule, { config: { heartbeat: { interval: 150 } } }));
  });
  afterAll(() => app.close());

  it('decodes packets split at every byte over TCP', async () => {
    const client = await RawClient.tcp(tcpPort);
    const bytes = Buffer.concat([HANDSHAKE, HANDSHAKE_ACK_PACKET, encodeMessagePacket({ type: MessageType.Request, id: 7, route: 'connector.svc.echo', data: utf8Encode('{"a":1}') })]);
    for (const byte of bytes) {
      client.send(Uint8Array.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    const response = await client.nextMessage((m) => m.id === 7);
    expect(json(response)).toEqual({ a: 1 });
    client.close();
  });

  it('decodes coalesced packets over TCP (handshake, ack and three requests in one write)', async () => {
    const client = await RawClient.tcp(tcpPort);
    const requests = [1, 2, 3].map((id) => encodeMessagePacket({ type: MessageType.Request, id, route: 'connector.svc.echo', data: utf8Encode(`{"n":${id}}`) }));
    client.send(Buffer.concat([HANDSHAKE, HANDSHAKE_ACK_PACKET, ...requests]));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.nextMessage()).id);
    expect(ids).toEqual([1, 2, 3]);
    client.close();
  });

  it('closes a WebSocket connection that puts two packets in one message', async () => {
    const client = await RawClient.ws(wsPort);
    client.send(Buffer.concat([HANDSHAKE, HANDSHAKE_ACK_PACKET]));
    await client.waitClosed();
  });

  it('closes a connection that sends data before the handshake ack', async () => {
    for (const transport of ['tcp', 'ws'] as const) {
      const client = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      client.send(HANDSHAKE);
      await client.nextPacket();
      client.send(encodeMessagePacket({ type: MessageType.Request, id: 1, route: 'connector.svc.echo', data: utf8Encode('{}') }));
      await client.waitClosed();
    }
  });

  it('sends heartbeats after the handshake and drops a client silent for two intervals', async () => {
    const client = await RawClient.tcp(tcpPort);
    await client.handshake();
    const started = Date.now();
    const beat = await client.nextPacket({ includeHeartbeats: true, timeoutMs: 1000 });
    expect(beat.type).toBe(PacketType.Heartbeat);
    await client.waitClosed(2000);
    // Closed between 2 and 3 intervals (plus scheduling slack) after the last packet.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('keeps a client that sends heartbeats', async () => {
    const client = await RawClient.tcp(tcpPort);
    await client.handshake();
    const timer = setInterval(() => client.send(Uint8Array.of(3, 0, 0, 0)), 100);
    await new Promise((r) => setTimeout(r, 700));
    clearInterval(timer);
    expect(client.closed).toBe(false);
    expect(json(await client.request('connector.svc.echo', { alive: true }))).toEqual({ alive: true });
    client.close();
  });

  it('kicks: sends the kick packet, then closes', async () => {
    const client = await RawClient.ws(wsPort);
    await client.handshake();
    await client.request('connector.svc.kickMe');
    const kick = await client.nextPacket();
    expect(kick.type).toBe(PacketType.Kick);
    await client.waitClosed();
  });

  describe('bad input closes only the offending connection', () => {
    const attacks: [string, 'tcp' | 'ws', Uint8Array][] = [
      ['an unknown packet type', 'tcp', Uint8Array.of(9, 0, 0, 0)],
      ['an unknown packet type', 'ws', Uint8Array.of(0, 0, 0, 0)],
      ['a length over the maximum packet size', 'tcp', Uint8Array.of(4, 0xff, 0xff, 0xff)],
      ['a frame shorter than its header says', 'ws', Uint8Array.of(4, 0, 0, 9, 0)],
      ['a message with an unterminated varint id', 'tcp', encodePacket(PacketType.Data, Uint8Array.of(0, 0xff, 0xff))],
      ['a 2-byte request (Go Pitaya panics on it)', 'ws', encodePacket(PacketType.Data, Uint8Array.of(0, 1))],
      ['a route longer than the message', 'tcp', encodePacket(PacketType.Data, Uint8Array.of(0, 1, 200, 0x61))],
      ['a response message from a client', 'tcp', encodePacket(PacketType.Data, Uint8Array.of(4, 1))],
    ];
    it.each(attacks)('%s (%s)', async (_what, transport, bytes) => {
      const bystander = await RawClient.tcp(tcpPort);
      await bystander.handshake();
      const attacker = await RawClient.connect(transport, transport === 'tcp' ? tcpPort : wsPort);
      await attacker.handshake();
      attacker.send(bytes);
      await attacker.waitClosed();
      expect(json(await bystander.request('connector.svc.echo', { still: 'here' }))).toEqual({ still: 'here' });
      bystander.close();
    });

    it('answers PIT-400, not a crash, for __proto__ keys and invalid JSON', async () => {
      const client = await RawClient.tcp(tcpPort);
      await client.handshake();
      const polluted = await client.request('connector.svc.echo', JSON.parse('{"__proto__":{"admin":true}}'));
      expect(json(polluted)).toEqual({ code: 'PIT-400', msg: 'JSON body contains the forbidden key "__proto__"' });
      const nested = await client.request('connector.svc.echo', JSON.parse('{"a":[{"constructor":{"prototype":{}}}]}'));
      expect((json(nested) as { code: string }).code).toBe('PIT-400');
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      client.close();
    });
  });
});
