/**
 * `@pitaya-ts/protocol`: Pitaya's wire format (packets, messages, handshake, compression, error payloads).
 * Pure and browser-safe: no Node APIs, works on Uint8Array (Node Buffers included).
 */
export { ProtocolError, type ProtocolErrorReason } from './errors';
export {
  ErrorCode,
  type ErrorPayload,
  encodeErrorPayloadJson,
  decodeErrorPayloadJson,
} from './error-codes';
export { compareCodePoints, findForbiddenKey, forbiddenKeyInJson, goJsonStringify, isForbiddenKey } from './json';
export { utf8Encode, utf8Decode } from './utf8';
export {
  PacketType,
  PACKET_HEADER_LENGTH,
  MAX_PACKET_BODY_LENGTH,
  isPacketType,
  encodePacket,
  writePacketHeader,
  decodeFrame,
  HANDSHAKE_ACK_PACKET,
  HEARTBEAT_PACKET,
  KICK_PACKET,
} from './packet/packet';
export { PacketDecoder, type PacketDecoderOptions, type PacketHandler } from './packet/packet-decoder';
export {
  MessageType,
  MessageFlag,
  type Message,
  type MessageInit,
  messageHasId,
  messageHasRoute,
} from './message/message-type';
export { encodeMessage, encodeMessagePacket, decodeMessage } from './message/message-codec';
export { MAX_ROUTE_BYTES } from './message/route-codec';
export { varintLength, writeVarint, readVarint } from './message/varint';
export { RouteDictionary } from './message/route-dictionary';
export {
  type HandshakeSys,
  type HandshakeRequest,
  DEFAULT_MAX_HANDSHAKE_BYTES,
  decodeHandshakeRequest,
  encodeHandshakeRequest,
} from './handshake/handshake-request';
export {
  type HandshakeResponse,
  encodeHandshakeResponse,
  decodeHandshakeResponse,
} from './handshake/handshake-response';
export { DEFAULT_MAX_INFLATE_BYTES, isCompressed, deflate, inflate } from './compression/compression';
export {
  type StandardSchemaV1,
  type StandardJSONSchemaV1,
  type SchemaInput,
  type SchemaOutput,
  isStandardSchema,
} from './schema/standard-schema';
export {
  type RouteContract,
  type PushContracts,
  type ServiceContract,
  type ClientApi,
  type ApiOf,
  defineService,
  isServiceContract,
} from './schema/contract';
