import * as grpc from '@grpc/grpc-js';
import { Context, createLogger, Handler, Module, Pitaya, Route, ws, type PitayaApplication } from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';
import { ClusterModule, StaticServiceDiscovery } from '@pitaya-ts/cluster';
import { serverInfo } from '../helpers';

const silent = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const bytes = (b: Buffer): Buffer => b;

/** A `protos.Response` cut short: field 1 (`data`, length-delimited) announces 200 bytes and carries 1. */
const TRUNCATED_RESPONSE = Buffer.from([0x0a, 0xc8, 0x01, 0x41]);

/**
 * A peer that speaks gRPC on Pitaya's `Call` path but not Pitaya: `unary` answers bytes no
 * `protos.Response` decoder accepts; the streaming variant ends the call OK without any message.
 */
async function startPeer(kind: 'garbage' | 'silent-ok'): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server();
  const streaming = kind === 'silent-ok';
  const definition: grpc.MethodDefinition<Buffer, Buffer> = {
    path: '/protos.Pitaya/Call', requestStream: false, responseStream: streaming,
    requestSerialize: bytes, requestDeserialize: bytes, responseSerialize: bytes, responseDeserialize: bytes,
  };
  const handler = streaming
    ? (call: grpc.ServerWritableStream<Buffer, Buffer>) => call.end()
    : (_call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => done(null, TRUNCATED_RESPONSE);
  server.addService({ Call: definition }, { Call: handler as grpc.UntypedHandleCall });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return { port, close: () => server.forceShutdown() };
}

@Handler('entry')
class EntryHandler {
  @Route()
  ping(_ctx: Context): unknown {
    return { pong: true };
  }
}

describe('gRPC client against a peer that breaks the protocol', () => {
  const peers: { close(): void }[] = [];
  let app: PitayaApplication | undefined;
  let client: PitayaClient | undefined;

  afterAll(async () => {
    await client?.close();
    await app?.close();
    for (const peer of peers) peer.close();
  });

  it('answers the client with a generic error, keeps the frontend serving, and reveals nothing', async () => {
    const garbage = await startPeer('garbage');
    const silentOk = await startPeer('silent-ok');
    peers.push(garbage, silentOk);
    const servers = [
      serverInfo('garbage', { metadata: { grpcHost: '127.0.0.1', grpcPort: String(garbage.port) } }),
      serverInfo('silentok', { metadata: { grpcHost: '127.0.0.1', grpcPort: String(silentOk.port) } }),
    ];
    const discovery = new StaticServiceDiscovery(servers);
    const cluster = ClusterModule.forRoot({ discovery, bindingStorage: false, config: { cluster: { rpc: { server: { grpc: { port: 0, host: '127.0.0.1' } } } } }, env: {} });
    @Module({ imports: [cluster], handlers: [EntryHandler] }) class FrontendModule {}
    app = await Pitaya.create(FrontendModule, { serverType: 'connector', frontend: true, acceptors: [ws({ port: 0, host: '127.0.0.1' })], logger: silent, env: {} });
    await app.start();
    client = await PitayaClient.connect(`ws://127.0.0.1:${app.listening[0]!.port}`, { requestTimeoutMs: 10_000 });

    // Undecodable reply: the call is cancelled on our side and answered as a failed call.
    const undecodable = await client.request('garbage.any.route', { a: 1 }).catch((e: unknown) => e);
    // INTERNAL: our side cancelled the call on the decode failure.
    expect(undecodable).toMatchObject({ code: 'PIT-000', message: 'rpc client: call failed (gRPC status 13)' });
    // OK without a message: a failed call too, not an empty success.
    const empty = await client.request('silentok.any.route', { a: 1 }).catch((e: unknown) => e);
    // UNIMPLEMENTED, as grpc-js's own unary client reports it (an empty success would answer the generic error).
    expect(empty).toMatchObject({ code: 'PIT-000', message: 'rpc client: call failed (gRPC status 12)' });
    for (const error of [undecodable, empty]) {
      const text = JSON.stringify(error);
      expect(text).not.toMatch(/parsing|response message|grpc|127\.0\.0\.1/i);
      // The message too (not part of the JSON): no decoder text, address or server id.
      const message = (error as Error).message;
      expect(message).not.toMatch(/parsing|response message|exceeds|127\.0\.0\.1/i);
      for (const server of servers) expect(text + message).not.toContain(server.id);
    }
    // The same session and process go on.
    expect(await client.request('connector.entry.ping')).toEqual({ pong: true });
  }, 30_000);
});
