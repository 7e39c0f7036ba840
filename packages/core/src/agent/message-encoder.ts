import { deflateSync, gunzipSync, inflateSync } from 'node:zlib';
import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { encodeMessagePacket, MessageType, RouteDictionary, type ErrorPayload } from '@pitaya-ts/protocol';
import { PITAYA_CONFIG, SERIALIZER } from '../container/tokens';
import type { PitayaConfig } from '../config/pitaya-config';
import { badRequest, PitayaError } from '../errors/pitaya-error';
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
    const data = this.serializer.encodeError(toErrorPayload(error));
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

/** Pitaya's error object for any thrown value: its code, message and (non-empty) metadata. */
export function toErrorPayload(error: unknown): ErrorPayload {
  const e = PitayaError.wrap(error);
  const metadata = Object.keys(e.metadata).length > 0 ? { ...e.metadata } : undefined;
  return metadata ? { code: e.code, msg: e.message, metadata } : { code: e.code, msg: e.message };
}
