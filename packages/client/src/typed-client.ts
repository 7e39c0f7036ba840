import type { ClientApi } from '@pitaya-ts/protocol';
import type { PitayaClient } from './pitaya-client';

/** `[body]` when the route declares a request schema, an optional body otherwise. */
type BodyArgs<B> = unknown extends B ? [body?: unknown] : undefined extends B ? [body?: B] : [body: B];

/**
 * A {@link PitayaClient} whose routes, bodies, replies and pushes are checked against an API type
 * (`ApiOf<…>` of the server's service contracts). The same object at run time: no wrapper, no cost.
 */
export interface TypedPitayaClient<Api extends ClientApi> {
  readonly connected: boolean;
  readonly handshake: PitayaClient['handshake'];
  /** Sends a request to a declared request route; resolves with its typed reply. */
  request<R extends keyof Api['requests'] & string>(route: R, ...body: BodyArgs<Api['requests'][R]['body']>): Promise<Api['requests'][R]['reply']>;
  /** Sends a notify to a declared notify route. */
  notify<R extends keyof Api['notifies'] & string>(route: R, ...body: BodyArgs<Api['notifies'][R]['body']>): void;
  /** Listens to a declared push; returns the unsubscribe function. */
  on<P extends keyof Api['pushes'] & string>(route: P, listener: (body: Api['pushes'][P]) => void): () => void;
  onKick(listener: () => void): () => void;
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
  /** The untyped client, for routes outside the API type. */
  readonly untyped: PitayaClient;
}

/**
 * Types a connected client with the server's API, derived at compile time from its service
 * contracts (no code generation):
 *
 * ```ts
 * // ChatApi = ApiOf<'chat', [typeof RoomService]>, a type the server app exports (apps/chat: room.contract.ts)
 * const chat = createTypedClient<ChatApi>(await PitayaClient.connect(url));
 * const reply = await chat.request('chat.room.join');        // reply: { code: number; result: string }
 * chat.on('onMessage', (m) => m.content);                     // m: { name: string; content: string }
 * ```
 */
export function createTypedClient<Api extends ClientApi>(client: PitayaClient): TypedPitayaClient<Api> {
  return client as unknown as TypedPitayaClient<Api>;
}
