import { connect, type NatsConnection } from 'nats';

/** The subject of the bare NATS baseline: a Pitaya server subject, so NATS routes the same way. */
export const BARE_NATS_SUBJECT = 'pitaya/servers/backend/bare';

/** The bare NATS backend of scenario D: answers every request on {@link BARE_NATS_SUBJECT} with its bytes. */
export async function startBareNatsEcho(url: string): Promise<{ close(): Promise<void> }> {
  const nc = await connect({ servers: url });
  nc.subscribe(BARE_NATS_SUBJECT, { callback: (_error, msg) => msg.respond(msg.data) });
  await nc.flush();
  return { close: () => nc.close() };
}

/** The bare frontend's side: one connection, one NATS request/reply per forwarded message, with a deadline like the framework's. */
export async function bareNatsForwarder(url: string, timeoutMs = 5000): Promise<{ forward(body: Uint8Array): Promise<Uint8Array>; close(): Promise<void> }> {
  const nc: NatsConnection = await connect({ servers: url });
  return {
    forward: async (body) => (await nc.request(BARE_NATS_SUBJECT, body, { timeout: timeoutMs })).data,
    close: () => nc.close(),
  };
}
