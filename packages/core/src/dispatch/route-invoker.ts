import type { Context } from '../context/context';
import { ErrorCode, PitayaError } from '../errors/pitaya-error';
import type { AfterPipeline, Outcome } from '../pipeline/pipeline.interfaces';
import type { RouteEntry } from './route-table';

/** Reply bytes of a request route; `undefined` for a notify. */
export type RouteReply = Uint8Array | undefined;

export function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<T>).then === 'function';
}

/**
 * Decodes the body, runs before-pipelines, the method, after-pipelines, and encodes the reply.
 * Synchronous when the route and its pipelines are (no promise is allocated on that path); throws
 * or rejects with the error to answer.
 */
export function invokeRoute(entry: RouteEntry, ctx: Context, payload: Uint8Array): RouteReply | Promise<RouteReply> {
  // Guards and exception filters, when the route has any, wrap the plain invocation (dispatch/enhancers.ts).
  if (entry.enhanced !== undefined) return entry.enhanced(entry, ctx, payload);
  return invokePlain(entry, ctx, payload);
}

/** {@link invokeRoute} without guards and filters: decode, validate against the declared schema, run. */
export function invokePlain(entry: RouteEntry, ctx: Context, payload: Uint8Array): RouteReply | Promise<RouteReply> {
  const decoded = decodeBody(entry, payload);
  if (entry.validate === undefined) return invokeDecoded(entry, ctx, decoded);
  const valid = entry.validate(decoded);
  if (isPromiseLike(valid)) return Promise.resolve(valid).then((body) => invokeDecoded(entry, ctx, body));
  return invokeDecoded(entry, ctx, valid);
}

function invokeDecoded(entry: RouteEntry, ctx: Context, body: unknown): RouteReply | Promise<RouteReply> {
  if (entry.before.length === 0 && entry.after.length === 0) {
    const result = entry.invoke(ctx, body);
    if (isPromiseLike(result)) return Promise.resolve(result).then((value) => encodeReply(entry, ctx, value));
    return encodeReply(entry, ctx, result);
  }
  return invokeWithPipelines(entry, ctx, body);
}

async function invokeWithPipelines(entry: RouteEntry, ctx: Context, decoded: unknown): Promise<RouteReply> {
  let outcome: Outcome;
  try {
    let body = decoded;
    for (const pipeline of entry.before) body = await pipeline.before(ctx, body);
    outcome = { result: await entry.invoke(ctx, body) };
  } catch (error) {
    outcome = { error };
  }
  outcome = await runAfter(entry.after, ctx, outcome);
  if (outcome.error !== undefined) throw outcome.error;
  return encodeReply(entry, ctx, outcome.result);
}

async function runAfter(pipelines: readonly AfterPipeline[], ctx: Context, initial: Outcome): Promise<Outcome> {
  let outcome = initial;
  for (const pipeline of pipelines) {
    try {
      outcome = (await pipeline.after(ctx, outcome)) ?? outcome;
    } catch (error) {
      outcome = { error };
    }
  }
  return outcome;
}

function decodeBody(entry: RouteEntry, payload: Uint8Array): unknown {
  switch (entry.bodyMode) {
    case 'none':
      return undefined;
    case 'raw':
      return payload;
    case 'decoded':
      return entry.serializer.decode(payload, entry.requestType);
  }
}

function encodeReply(entry: RouteEntry, ctx: Context, value: unknown): RouteReply {
  if (ctx.notify || entry.notify) return undefined;
  if (value === undefined || value === null) {
    throw new PitayaError(ErrorCode.Unknown, 'reply must not be null');
  }
  if (value instanceof Uint8Array) return value;
  try {
    return entry.serializer.encode(value, entry.responseType);
  } catch (error) {
    // Not a PitayaError: the serializer's text is an internal detail; the dispatcher logs it and answers generically.
    throw new Error(`failed to serialize the reply of ${entry.route}: ${(error as Error).message}`, { cause: error });
  }
}
