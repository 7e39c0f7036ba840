import * as grpc from '@grpc/grpc-js';

/** Pitaya's `Call` path, carrying raw bytes both ways: no protobuf, no metadata, no routing. */
const CALL: grpc.MethodDefinition<Buffer, Buffer> = {
  path: '/protos.Pitaya/Call',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/** The bare backend of scenario D: a grpc-js server answering every call with its request bytes. */
export function startBareGrpcEcho(host: string, port: number): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server();
  server.addService({ Call: CALL }, { Call: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => done(null, call.request) });
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve({ port: bound, close: () => server.forceShutdown() });
    });
  });
}

/** The bare frontend's side: one channel, one unary call per forwarded message, with a deadline like the framework's. */
export function bareGrpcForwarder(address: string, timeoutMs = 5000): { forward(body: Uint8Array): Promise<Uint8Array>; close(): void } {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return {
    forward: (body) =>
      new Promise((resolve, reject) => {
        client.makeUnaryRequest(CALL.path, CALL.requestSerialize, CALL.responseDeserialize, Buffer.from(body.buffer, body.byteOffset, body.byteLength), new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, reply) => {
          if (error) reject(error);
          else resolve(reply!);
        });
      }),
    close: () => client.close(),
  };
}
