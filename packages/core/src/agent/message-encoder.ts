import { deflateSync, gunzipSync, inflateSync } from 'node:zlib';
import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { encodeMessagePacket, MessageType, RouteDictionary, type ErrorPayload } from '@pitaya-ts/protocol';
import { PITAYA_CONFIG, SERIALIZER } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';
import { badRequest, ErrorCode, PitayaError } from '../errors/pitaya-error';
import type { Serializer } from '../serialize/serializer';

/**
 * Builds the packets this server sends: responses, error responses and pushes, each framed in a
 * single allocation, with zlib compression when it makes the payload strictly shorter (Pitaya's
 * `handler.messages.compression`) and dictionary-compressed push routes.
 */
@injectable('Singleton')
export class MessageEncoder {
  private readonly compression: boolean;
  private readonly compressionMinBytes: number;
  private readonly maxInflatedBytes: number;

  constructor(
    @Inject(SERIALIZER) readonly serializer: Serializer,
    @Inject(PITAYA_CONFIG) config: PitayaConfig,
    @Inject(RouteDictionary) readonly dictionary: RouteDictionary,
  ) {
    this.compression = config.handler.messages.compression;
    this.compressionMinBytes = config.handler.messages.compressionMinBytes;
    this.maxInflatedBytes = config.conn.maxPacketSize * 4;
  }

  /** A response packet carrying already-serialized reply bytes. */
  response(id: number, data: Uint8Array): Uint8Array {
    const payload = this.compress(data);
    return encodeMessagePacket({ type: MessageType.Response, id, data: payload, compressed: payload !== data });
  }

  /** An error response packet: the error flag and Pitaya's error object in the serializer's format. */
  errorResponse(id: number, error: unknown): Uint8Array {
    const data = this.serializer.encodeError(toClientErrorPayload(error));
    const payload = this.compress(data);
    return encodeMessagePacket({ type: MessageType.Response, id, data: payload, compressed: payload !== data, error: true });
  }

  /** A push packet; `body` is serialized unless it is already bytes. */
  push(route: string, body: unknown): Uint8Array {
    return this.pushBytes(route, this.serialize(body, this.serializer.pushTypeOf?.(route)));
  }

  /** A push packet from serialized bytes (broadcasts serialize once, then frame once). */
  pushBytes(route: string, data: Uint8Array): Uint8Array {
    const payload = this.compress(data);
    return encodeMessagePacket({ type: MessageType.Push, route, data: payload, compressed: payload !== data }, this.dictionary);
  }

  serialize(body: unknown, type?: string): Uint8Array {
    return body instanceof Uint8Array ? body : this.serializer.encode(body, type);
  }

  /** Inflates a client payload flagged as compressed (zlib, or gzip as some clients send). */
  inflate(data: Uint8Array): Uint8Array {
    try {
      const options = { maxOutputLength: this.maxInflatedBytes };
      return data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data, options) : inflateSync(data, options);
    } catch (error) {
      throw badRequest(`cannot inflate the compressed payload: ${(error as Error).message}`);
    }
  }

  private compress(data: Uint8Array): Uint8Array {
    if (!this.compression || data.length < this.compressionMinBytes) return data;
    const deflated = deflateSync(data);
    return deflated.length < data.length ? deflated : data;
  }
}

/** What a caller is told about a failure that is not a `PitayaError` (the detail is logged where it happened). */
export const GENERIC_ERROR_MESSAGE = 'internal server error';

/**
 * Pitaya's error object for any thrown value: a `PitayaError`'s code, message and (non-empty)
 * metadata; anything else is `PIT-000` with a generic message, since its text is an internal detail
 * (a stack-less exception message, a driver error, a file path) that must not reach a client.
 */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (!(error instanceof PitayaError)) return { code: ErrorCode.Unknown, msg: GENERIC_ERROR_MESSAGE };
  const metadata = Object.keys(error.metadata).length > 0 ? { ...error.metadata } : undefined;
  return metadata ? { code: error.code, msg: error.message, metadata } : { code: error.code, msg: error.message };
}

/** Metadata keys that name servers: useful between servers, never sent to clients. */
const SERVER_METADATA_KEYS: readonly string[] = ['server', 'peer.id'];

/** {@link toErrorPayload} as a client may see it: without the metadata that names servers. */
export function toClientErrorPayload(error: unknown): ErrorPayload {
  const payload = toErrorPayload(error);
  const metadata = payload.metadata;
  if (metadata === undefined || !SERVER_METADATA_KEYS.some((key) => key in metadata)) return payload;
  const kept: Record<string, string> = {};
  for (const key of Object.keys(metadata)) if (!SERVER_METADATA_KEYS.includes(key)) kept[key] = metadata[key]!;
  return Object.keys(kept).length > 0 ? { code: payload.code, msg: payload.msg, metadata: kept } : { code: payload.code, msg: payload.msg };
}
