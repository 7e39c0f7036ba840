import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType, PacketType, utf8Encode, decodeMessage } from '@pitaya-ts/protocol';
import {
  METRICS_REPORTER, Module, NoopMetricsReporter, Pitaya, createLogger, rateLimiting, tcp, withWrappers,
  type PitayaApplication,
} from '@pitaya-ts/core';
import { waitFor } from '@pitaya-ts/testing';
import { FakeAcceptor } from '../support/fake-acceptor';
import { RawClient } from '../support/raw-client';
import { BlockingHandler, blocking, releaseBlocked } from '../support/blocking-handler';

class CountingMetrics extends NoopMetricsReporter {
  rateLimitedCount = 0;
  override rateLimited(): void {
    this.rateLimitedCount++;
  }
}
const metrics = new CountingMetrics();

@Module({ handlers: [BlockingHandler], providers: [{ provide: METRICS_REPORTER, useValue: metrics }] })
class AppModule {}

const request = (id: number, route = 'connector.svc.echo'): Uint8Array =>
  encodeMessagePacket({ type: MessageType.Request, id, route, data: utf8Encode('{}') });

describe('flow control', () => {
  it('stops reading a session whose queue is full and resumes when it drains, answering in order', async () => {
    const acceptor = new FakeAcceptor();
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector', acceptors: [acceptor], logger: createLogger({ level: 'silent' }), env: {},
      config: { buffer: { handler: { sessionQueue: 3 } } },
    });
    await app.start();
    blocking.handled = 0;
    const connection = acceptor.connect();
    connection.deliver(encodePacket(PacketType.Handshake, utf8Encode('{}')));
    connection.deliver(HANDSHAKE_ACK_PACKET);
    connection.deliver(request(1, 'connector.svc.block'));
    for (let id = 2; id <= 4; id++) connection.deliver(request(id));
    expect(connection.paused).toBe(true);
    expect(blocking.handled).toBe(1);
    releaseBlocked();
    await new Promise((r) => setTimeout(r, 20));
    expect(connection.paused).toBe(false);
    expect(blocking.handled).toBe(4);
    const ids = connection.writtenOfType(PacketType.Data).map((p) => decodeMessage(p.subarray(4)).id);
    expect(ids).toEqual([1, 2, 3, 4]);
    await app.close();
  });

  it('disconnects a client whose unsent bytes exceed the limit', async () => {
    const acceptor = new FakeAcceptor();
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector', acceptors: [acceptor], logger: createLogger({ level: 'silent' }), env: {},
      config: { buffer: { agent: { maxPendingBytes: 2048 } } },
    });
    await app.start();
    const connection = acceptor.connect();
    connection.deliver(encodePacket(PacketType.Handshake, utf8Encode('{}')));
    connection.deliver(HANDSHAKE_ACK_PACKET);
    connection.pendingBytes = 4096;
    connection.deliver(request(1));
    expect(connection.closed).toBe(true);
    await app.close();
  });

  it('rate-limits data packets per connection with the leaky bucket, never heartbeats', async () => {
    const app = await Pitaya.create(AppModule, {
      serverType: 'connector',
      acceptors: [withWrappers(tcp({ port: 0, host: '127.0.0.1' }), rateLimiting({ limit: 3, intervalMs: 60_000 }))],
      logger: createLogger({ level: 'silent' }), env: {},
    });
    await app.start();
    const client = await RawClient.tcp(app.listening[0]!.port);
    await client.handshake();
    metrics.rateLimitedCount = 0;
    for (let id = 1; id <= 5; id++) client.sendRequest('connector.svc.echo', { id }, id);
    for (let i = 0; i < 5; i++) client.send(Uint8Array.of(PacketType.Heartbeat, 0, 0, 0));
    const packets = await client.collect(200);
    expect(packets.filter((p) => p.type === PacketType.Data).map((p) => decodeMessage(p.body).id)).toEqual([1, 2, 3]);
    expect(metrics.rateLimitedCount).toBe(2);
    expect(client.closed).toBe(false);
    client.close();
    await app.close();
  });
});

describe('graceful close', () => {
  let app: PitayaApplication;
  it('stops accepting, lets in-flight requests answer, then closes connections', async () => {
    app = await Pitaya.create(AppModule, {
      serverType: 'connector', acceptors: [tcp({ port: 0, host: '127.0.0.1' })], logger: createLogger({ level: 'silent' }), env: {},
    });
    await app.start();
    const port = app.listening[0]!.port;
    const client = await RawClient.tcp(port);
    await client.handshake();
    blocking.release = undefined;
    const id = client.sendRequest('connector.svc.block', {});
    await waitFor(() => blocking.release !== undefined, { message: 'block entered' });
    const closing = app.close();
    // Closing stops the listener first: poll until a new connection is refused.
    await waitFor(() => RawClient.tcp(port).then((c) => (c.close(), false), () => true), { message: 'listener stopped' });
    await expect(RawClient.tcp(port)).rejects.toThrow();
    expect(client.closed).toBe(false);
    releaseBlocked();
    const reply = await client.nextMessage((m) => m.id === id);
    expect(reply.error).toBe(false);
    await client.waitClosed();
    await closing;
  });
});
