import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as protobuf from 'protobufjs';
import { PitayaClient } from '@pitaya-ts/client/node';
import { z } from 'zod';
import { Context, DocsModule, Handler, Module, Notify, Remote, Route, type AsyncApiDocument, type Documentation, type PitayaApplication } from '@pitaya-ts/core';
import { startApp } from '../support/app';

const PROTO = path.join(__dirname, '../fixtures/chat.proto');

const Enter = z.object({ nick: z.string(), seats: z.number().int(), tags: z.array(z.string()).optional() });
const Entered = z.object({ ok: z.boolean(), scores: z.record(z.string(), z.number()) });

@Handler('room')
class RoomHandler {
  @Route()
  join(_ctx: Context): unknown {
    return { code: 0 };
  }
  @Notify()
  message(_ctx: Context, _body: { text: string }): void {}
  @Route()
  upload(_ctx: Context, body: Uint8Array): unknown {
    return { size: body.length };
  }
  @Route({ request: Enter, response: Entered })
  enter(_ctx: Context, _body: z.infer<typeof Enter>): z.infer<typeof Entered> {
    return { ok: true, scores: {} };
  }
  helper(): void {}
}
@Remote('stats')
class StatsRemote {
  @Route()
  count(_ctx: Context, _body: { room: string }): unknown {
    return { n: 1 };
  }
}
@Module({ imports: [DocsModule], handlers: [RoomHandler], remotes: [StatsRemote] })
class JsonApp {}
@Module({ handlers: [RoomHandler] })
class WithoutDocs {}

@Handler('room')
class ProtoRoomHandler {
  @Route({ requestType: 'chat.JoinRequest', responseType: 'chat.JoinResponse' })
  join(_ctx: Context, body: { name: string }): unknown {
    return { code: 0, result: body.name };
  }
}
@Module({ imports: [DocsModule], handlers: [ProtoRoomHandler] })
class ProtoApp {}

describe('DocsModule', () => {
  const apps: PitayaApplication[] = [];
  const clients: PitayaClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it("serves the route table in Pitaya's Documentation shape, wrapped in protos.Doc", async () => {
    const { app, wsPort } = await startApp(JsonApp);
    apps.push(app);
    const client = await PitayaClient.connect(`ws://127.0.0.1:${wsPort}`);
    clients.push(client);
    const reply = await client.request<{ doc: string }>('connector.docsHandler.docs');
    const doc = JSON.parse(reply.doc) as Documentation;
    expect(doc.handlers['connector.room.join']).toEqual({ input: null, output: ['interface {}', 'error'] });
    expect(doc.handlers['connector.room.message']).toEqual({ input: 'interface {}', output: ['error'] });
    expect(doc.handlers['connector.room.upload']).toEqual({ input: '[]byte', output: ['interface {}', 'error'] });
    // Declared schemas give the fields, with Go-like type names.
    expect(doc.handlers['connector.room.enter']).toEqual({
      input: { nick: 'string', seats: 'int64', tags: ['string'] },
      output: [{ ok: 'bool', scores: { 'map[string]': 'float64' } }, 'error'],
    });
    expect(doc.handlers['connector.room.helper']).toBeUndefined();
    expect(doc.handlers['connector.docsHandler.docs']).toBeDefined();
    expect(doc.remotes).toEqual({ 'connector.stats.count': { input: 'interface {}', output: ['interface {}', 'error'] } });
    // Without a protobuf serializer there are no descriptors to serve.
    await expect(client.request('connector.docsHandler.protos', { name: ['chat.JoinRequest'] })).rejects.toMatchObject({ code: 'PIT-400' });
    await expect(client.request('connector.docsHandler.protos', { name: 'nope' })).rejects.toMatchObject({ code: 'PIT-400' });

    const asyncApi = JSON.parse((await client.request<{ doc: string }>('connector.docsHandler.asyncapi')).doc) as AsyncApiDocument;
    expect(asyncApi.asyncapi).toBe('3.0.0');
    expect(Object.keys(asyncApi.channels)).toEqual(expect.arrayContaining(['connector.room.join', 'connector.room.enter']));
  });

  it('is off unless imported', async () => {
    const { app, wsPort } = await startApp(WithoutDocs);
    apps.push(app);
    const client = await PitayaClient.connect(`ws://127.0.0.1:${wsPort}`);
    clients.push(client);
    await expect(client.request('connector.docsHandler.docs')).rejects.toMatchObject({ code: 'PIT-404' });
  });

  it('with the protobuf serializer: typed docs and gzipped file descriptors', async () => {
    const { app, wsPort } = await startApp(ProtoApp, { serializer: 'protobuf', protobuf: { files: [PROTO] } });
    apps.push(app);
    const client = await PitayaClient.connect(`ws://127.0.0.1:${wsPort}`, { encoding: 'raw' });
    clients.push(client);
    const protos = new protobuf.Root().define('protos');
    const Doc = new protobuf.Type('Doc').add(new protobuf.Field('doc', 1, 'string'));
    const Names = new protobuf.Type('ProtoNames').add(new protobuf.Field('name', 1, 'string', 'repeated'));
    const Descriptors = new protobuf.Type('ProtoDescriptors').add(new protobuf.Field('desc', 1, 'bytes', 'repeated'));
    protos.add(Doc).add(Names).add(Descriptors);

    const docBytes = await client.request<Uint8Array>('connector.docsHandler.docs');
    const doc = JSON.parse((Doc.decode(docBytes) as unknown as { doc: string }).doc) as Documentation;
    expect(doc.handlers['connector.room.join']).toEqual({
      input: { '*chat.JoinRequest': { name: 'string', score: 'int64' } },
      output: [{ '*chat.JoinResponse': { code: 'int32', result: 'string' } }, 'error'],
    });

    const reply = await client.request<Uint8Array>('connector.docsHandler.protos', Names.encode({ name: ['chat.JoinRequest'] }).finish());
    const { desc } = Descriptors.decode(reply) as unknown as { desc: Uint8Array[] };
    expect(desc).toHaveLength(1);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { FileDescriptorProto } = require('protobufjs/ext/descriptor') as { FileDescriptorProto: protobuf.Type };
    const file = FileDescriptorProto.toObject(FileDescriptorProto.decode(gunzipSync(desc[0]!))) as { package: string; messageType: { name: string }[] };
    expect(file.package).toBe('chat');
    expect(file.messageType.map((m) => m.name)).toEqual(expect.arrayContaining(['JoinRequest', 'JoinResponse', 'Notice']));

    // The error reply is a protobuf protos.Error, which this raw client does not decode: it only rejects.
    await expect(client.request('connector.docsHandler.protos', Names.encode({ name: ['chat.Missing'] }).finish())).rejects.toThrow();
  });
});
