import { PacketType, utf8Decode, utf8Encode, encodePacket, decodeHandshakeResponse } from '@pitaya-ts/protocol';
import { Context, Handler, Route, Module, type PitayaApplication } from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

@Handler('svc')
class SvcHandler {
  @Route()
  whoami(ctx: Context): unknown {
    return { handshake: ctx.session.handshake, ipversion: ctx.session.get('ipversion') };
  }
}
@Module({ handlers: [SvcHandler] })
class AppModule {}

describe('handshake', () => {
  let app: PitayaApplication;
  let port: number;
  const validated: string[] = [];

  beforeAll(async () => {
    const started = await startApp(AppModule, {
      handshakeValidators: {
        version: (handshake) => {
          validated.push(String(handshake.sys.clientVersion));
          if (handshake.sys.clientVersion === '0.0.1') throw new Error('client too old');
        },
      },
    });
    app = started.app;
    port = started.tcpPort;
  });
  afterAll(() => app.close());

  const handshakeOf = async (body: string): Promise<{ code: number; client: RawClient }> => {
    const client = await RawClient.tcp(port);
    client.send(encodePacket(PacketType.Handshake, utf8Encode(body)));
    const packet = await client.nextPacket();
    expect(packet.type).toBe(PacketType.Handshake);
    return { code: decodeHandshakeResponse(packet.body).code, client };
  };

  it('accepts the Go test client handshake (sys strings, user map) and stores it in the session', async () => {
    const body = '{"sys":{"platform":"mac","libVersion":"0.3.5-release","clientBuildNumber":"20","clientVersion":"2.1"},"user":{"age":30}}';
    expect(Buffer.byteLength(body)).toBe(120);
    const { code, client } = await handshakeOf(body);
    expect(code).toBe(200);
    client.send(new Uint8Array([2, 0, 0, 0]));
    const reply = json(await client.request('connector.svc.whoami'));
    expect(reply).toEqual({ handshake: JSON.parse(body), ipversion: 'ipv4' });
    client.close();
  });

  it('accepts the pomelo JS client shape with unknown sys keys, and {}', async () => {
    for (const body of ['{"sys":{"type":"js-websocket","version":"0.0.1x","rsa":{}},"user":{}}', '{}']) {
      const { code, client } = await handshakeOf(body);
      expect(code).toBe(200);
      client.close();
    }
  });

  it.each([
    ['invalid JSON', '{"sys":'],
    ['a number where Pitaya expects a string', '{"sys":{"platform":"mac","clientVersion":2.1}}'],
    ['a prototype-polluting key', '{"sys":{},"user":{"__proto__":{"admin":true}}}'],
  ])('answers code 400 and closes the connection on %s', async (_what, body) => {
    const { code, client } = await handshakeOf(body);
    expect(code).toBe(400);
    await client.waitClosed();
  });

  it('runs validators: a refusal answers 400 and closes, a pass answers 200', async () => {
    const refused = await handshakeOf('{"sys":{"clientVersion":"0.0.1"}}');
    expect(refused.code).toBe(400);
    await refused.client.waitClosed();
    const accepted = await handshakeOf('{"sys":{"clientVersion":"2.0.0"}}');
    expect(accepted.code).toBe(200);
    accepted.client.close();
    expect(validated).toEqual(expect.arrayContaining(['0.0.1', '2.0.0']));
  });

  it('sends the exact code-400 body', async () => {
    const client = await RawClient.tcp(port);
    client.send(encodePacket(PacketType.Handshake, utf8Encode('nope')));
    const packet = await client.nextPacket();
    expect(utf8Decode(packet.body)).toBe('{"code":400,"sys":{"dict":{},"heartbeat":30,"serializer":"json"}}');
    await client.waitClosed();
  });
});
