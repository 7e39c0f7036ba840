import type { ErrorPayload } from '@pitaya-ts/protocol';

/**
 * Encodes and decodes client payloads. The name is announced in the handshake (`"json"`,
 * `"protobuf"`). `type` is the message type a route declares (`@Route({ requestType })`); JSON
 * ignores it, protobuf needs it unless the value carries its own (`$type`).
 */
export interface Serializer {
  readonly name: string;
  encode(value: unknown, type?: string): Uint8Array;
  decode(data: Uint8Array, type?: string): unknown;
  /** Encodes an error reply body (Pitaya's `protos.Error` in this serializer's format). */
  encodeError(error: ErrorPayload): Uint8Array;
  /** The message type of pushes on `route`, for serializers that need types. */
  pushTypeOf?(route: string): string | undefined;
}
