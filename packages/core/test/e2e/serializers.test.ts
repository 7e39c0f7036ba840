import * as path from 'node:path';
import { deflateSync, gzipSync, inflateSync } from 'node:zlib';
import * as protobuf from 'protobufjs';
import { encodeMessagePacket, MessageType, utf8Decode, utf8Encode } from '@pitaya-ts/protocol';
import { Context, Handler, Module, Route, type PitayaApplication } from '@pitaya-ts/core';
import { json, RawClient } from '../support/raw-client';
import { startApp } from '../support/app';

const PROTO = path.join(__dirname, '../fixtures/chat.proto');

@Handler('room')
class RoomHandler {
  @Route({ requestType: 'chat.JoinRequest', responseType: 'chat.JoinResponse' })
  async join(ctx: Context, body: { name: string; score: string }): Promise<unknown> {
    await ctx.session.push('onNotice', { text: `hello ${body.name}` });
    return { code: 0, result: `${body.name}:${body.score}` };
  }
  @Route({ responseType: 'chat.Notice' })
  raw(_ctx: Context, body: Uint8Array): unknown {
    return { text: `got ${body.length} raw bytes` };
  }
}
@Module({ handlers: [RoomHandler] })
class ProtoModule {}

@Handler('big')
class BigHandler {
  @Route()
  payload(_ctx: Context, body: { size: number }): unknown {
    return { data: 'x'.repeat(body.size) };
  }
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
  @Route()
  async pushIt(ctx: Context): Promise<unknown> {
    await ctx.session.push('onMessage', { a: 1 });
    return {};
  }
}
@Module({ handlers: [BigHandler] })
class JsonModule {}

describe('protobuf serializer', () => {
  let app: PitayaApplication;
  let port: number;
  let root: protobuf.Root;
  beforeAll(async () => {
    root = protobuf.loadSync(PROTO);
    ({ app, wsPort: port } = await startApp(ProtoModule, { serializer: 'protobuf', protobuf: { files: [PROTO], pushTypes: { onNotice: 'chat.Notice' } } }));
  });
  afterAll(() => app.close());

  it('announces protobuf, decodes typed bodies and encodes typed replies and pushes', async () => {
    const client = await RawClient.ws(port);
    const handshake = await client.handshake();
    expect(handshake.sys.serializer).toBe('protobuf');
    const JoinRequest = root.lookupType('chat.JoinRequest');
    const body = JoinRequest.encode(JoinRequest.fromObject({ name: 'ana', score: '9007199254740993' })).finish();
    const id = client.sendRequest('connector.room.join', body);
    const push = await client.nextMessage((m) => m.type === MessageType.Push);
    expect(root.lookupType('chat.Notice').decode(push.data).toJSON()).toEqual({ text: 'hello ana' });
    const response = await client.nextMessage((m) => m.id === id);
    expect(root.lookupType('chat.JoinResponse').decode(response.data).toJSON()).toEqual({ code: 0, result: 'ana:9007199254740993' });
    client.close();
  });

  it('answers errors as protos.Error and passes raw bytes to Uint8Array bodies', async () => {
    const client = await RawClient.ws(port);
    await client.handshake();
    const missing = await client.request('connector.room.nope', new Uint8Array());
    expect(missing.error).toBe(true);
    const ErrorType = new protobuf.Type('Error').add(new protobuf.Field('code', 1, 'string')).add(new protobuf.Field('msg', 2, 'string'));
    new protobuf.Root().add(ErrorType);
    expect(ErrorType.decode(missing.data).toJSON()).toEqual({ code: 'PIT-404', msg: 'pitaya/handler: connector.room.nope not found' });
    const raw = await client.request('connector.room.raw', Uint8Array.of(1, 2, 3));
    expect(root.lookupType('chat.Notice').decode(raw.data).toJSON()).toEqual({ text: 'got 3 raw bytes' });
    client.close();
  });

  it('refuses at start-up a body without a protobuf type', async () => {
    @Handler('bad') class Bad { @Route() join(_c: Context, _b: { x: number }): unknown { return {}; } }
    @Module({ handlers: [Bad] }) class BadModule {}
    await expect(startApp(BadModule, { serializer: 'protobuf', protobuf: { files: [PROTO] } })).rejects.toThrow(
      'Bad.join takes a body but declares no requestType',
    );
  });
});

describe('compression and route dictionary', () => {
  let app: PitayaApplication;
  let port: number;
  beforeAll(async () => {
    ({ app, tcpPort: port } = await startApp(JsonModule, { dictionary: { 'connector.big.echo': 10, onMessage: 11 } }));
  });
  afterAll(() => app.close());

  it('sends the dictionary in the handshake', async () => {
    const client = await RawClient.tcp(port);
    expect((await client.handshake()).sys.dict).toEqual({ 'connector.big.echo': 10, onMessage: 11 });
    client.close();
  });

  it('zlib-compresses large replies (flag 0x10) and leaves small ones alone', async () => {
    const client = await RawClient.tcp(port);
    await client.handshake();
    const large = await client.request('connector.big.payload', { size: 5000 });
    expect(large.compressed).toBe(true);
    expect(large.data.length).toBeLessThan(200);
    expect(JSON.parse(inflateSync(large.data).toString())).toEqual({ data: 'x'.repeat(5000) });
    const small = await client.request('connector.big.payload', { size: 3 });
    expect(small.compressed).toBe(false);
    client.close();
  });

  it('inflates compressed requests (zlib and gzip) and accepts dictionary-coded routes', async () => {
    const client = await RawClient.tcp(port);
    await client.handshake();
    const zipped = deflateSync(Buffer.from('{"zipped":true}'));
    client.send(encodeMessagePacket({ type: MessageType.Request, id: 5, route: 'connector.big.echo', data: zipped, compressed: true }));
    // The route is in the dictionary, so the encoder writes its 2-byte code (flag 0x01).
    const reply = await client.nextMessage((m) => m.id === 5);
    expect(json(reply)).toEqual({ zipped: true });
    client.send(encodeMessagePacket({ type: MessageType.Request, id: 7, route: 'connector.big.echo', data: gzipSync('{"gz":1}'), compressed: true }));
    expect(json(await client.nextMessage((m) => m.id === 7))).toEqual({ gz: 1 });
    const bad = encodeMessagePacket({ type: MessageType.Request, id: 6, route: 'connector.big.echo', data: utf8Encode('not zlib'), compressed: true });
    client.send(bad);
    expect((json(await client.nextMessage((m) => m.id === 6)) as { code: string }).code).toBe('PIT-400');
    client.close();
  });

  it('compresses push routes found in the dictionary', async () => {
    const client = await RawClient.tcp(port);
    await client.handshake();
    client.sendRequest('connector.big.pushIt', {});
    const packet = await client.nextPacket();
    // flag 0x07 = Push (3<<1) | route compressed; then code 11 big-endian; then the JSON payload.
    expect([...packet.body.subarray(0, 3)]).toEqual([0x07, 0x00, 0x0b]);
    expect(utf8Decode(packet.body.subarray(3))).toBe('{"a":1}');
    client.close();
  });
});
