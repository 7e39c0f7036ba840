import { defineService, type ApiOf } from '@pitaya-ts/protocol';
import { z } from 'zod';

// zod 4: the most used Standard Schema library, with JSON Schema output built in (for the AsyncAPI
// document); any other Standard Schema library would do. This file is browser-safe: the chat page
// imports it for its types.

/** A chat line, as clients send it and receive it. */
export const UserMessage = z.object({
  name: z.string().min(1).max(64),
  content: z.string().min(1).max(2000),
});
export type UserMessage = z.infer<typeof UserMessage>;

/** The reply to `room.join`. */
export const JoinResponse = z.object({ code: z.number().int(), result: z.string() });
export type JoinResponse = z.infer<typeof JoinResponse>;

/** Pushed to a newcomer: who is in the room. */
export const MembersPush = z.object({ members: z.array(z.string()) });
/** Pushed to the room when someone joins. */
export const NewUserPush = z.object({ content: z.string() });

/** The room's client protocol, declared once: validation, handler types, client types and docs. */
export const RoomService = defineService('room', {
  join: { response: JoinResponse, description: 'Binds the session and joins the room; the member list is pushed back.' },
  message: { request: UserMessage, notify: true, description: 'Relays a chat line to everyone in the room.' },
}, {
  pushes: { onMembers: MembersPush, onNewUser: NewUserPush, onMessage: UserMessage },
});

/**
 * The chat's typed client API: `chat.room.join` standalone, `room.room.join` when the room runs on a
 * `room` backend (apps/cluster). `createTypedClient<ChatApi>(client)` checks routes, bodies, replies and pushes.
 */
export type ChatApi = ApiOf<'chat' | 'room', [typeof RoomService]>;
