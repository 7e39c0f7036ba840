import { badRequest } from '@pitaya-ts/core';

/**
 * Server metadata a pitaya-ts frontend advertises when it takes {@link BATCH_PUSH_ROUTE}: a push to
 * many users of one frontend in one call. Go Pitaya frontends do not advertise it, so they keep
 * getting one `PushToUser` per user, the only message they understand.
 */
export const BATCH_PUSH_METADATA_KEY = 'pitaya-ts-batch-push';
export const BATCH_PUSH_VERSION = '1';

/** The `sys` route of the batched push (pitaya-ts only; negotiated through {@link BATCH_PUSH_METADATA_KEY}). */
export const BATCH_PUSH_ROUTE = 'sys.pushusers';

/** Most uids in one batched push; larger fan-outs are split. */
export const BATCH_PUSH_MAX_UIDS = 1000;

/** A push to several users of one frontend: the route, the body serialized once, the uids. */
export interface BatchPush {
  readonly route: string;
  readonly data: Uint8Array;
  readonly uids: readonly string[];
}

/** `{"route","uids","data"(base64)}`: small, built once per frontend and broadcast. */
export function encodeBatchPush(push: BatchPush): Uint8Array {
  return Buffer.from(JSON.stringify({ route: push.route, uids: push.uids, data: Buffer.from(push.data.buffer, push.data.byteOffset, push.data.byteLength).toString('base64') }));
}

/** Parses a batched push; PIT-400 when it is not one (never trusts the peer's shape). */
export function decodeBatchPush(body: Uint8Array): BatchPush {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw badRequest('invalid batched push');
  }
  const v = value as { route?: unknown; uids?: unknown; data?: unknown } | null;
  if (
    typeof v !== 'object' || v === null || typeof v.route !== 'string' || typeof v.data !== 'string' || !Array.isArray(v.uids)
    || v.uids.length > BATCH_PUSH_MAX_UIDS || !v.uids.every((uid) => typeof uid === 'string')
  ) {
    throw badRequest('invalid batched push');
  }
  return { route: v.route, data: Buffer.from(v.data, 'base64'), uids: v.uids as string[] };
}

/** The reply: the uids not delivered. */
export function encodeBatchPushReply(failed: readonly string[]): Uint8Array {
  return Buffer.from(JSON.stringify({ failed }));
}

export function decodeBatchPushReply(reply: Uint8Array): string[] {
  const value = JSON.parse(Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength).toString('utf8')) as { failed?: unknown };
  if (!Array.isArray(value.failed) || !value.failed.every((uid) => typeof uid === 'string')) throw new Error('invalid batched push reply');
  return value.failed as string[];
}
