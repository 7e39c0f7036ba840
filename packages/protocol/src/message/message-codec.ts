import { allocBytes } from '../utf8';
import { ProtocolError } from '../errors';
import {
  MAX_PACKET_BODY_LENGTH,
  PACKET_HEADER_LENGTH,
  PacketType,
  tooLarge,
  writePacketHeader,
} from '../packet/packet';
import {
  type Message,
  MessageFlag,
  type MessageInit,
  type MessageType,
  isMessageType,
  messageHasId,
  messageHasRoute,
} from './message-type';
import { decodeRoute, encodeRoute } from './route-codec';
import type { RouteDictionary } from './route-dictionary';
import { decodeVarint, varintLength, varintNext, writeVarint } from './varint';

const EMPTY: Uint8Array = new Uint8Array(0);
/** Flag + (id or route): Pitaya's `msgHeadLength`. */
const MIN_MESSAGE_LENGTH = 2;

/**
 * Encodes a message (`flag | [id] | [route] | data`). A route found in `dictionary` is written as its
 * 2-byte code with flag 0x01. Throws `BAD_MESSAGE_TYPE`, `BAD_VARINT` (bad id), `ROUTE_TOO_LONG`.
 */
export function encodeMessage(msg: MessageInit, dictionary?: RouteDictionary): Uint8Array {
  return encode(msg, dictionary, 0);
}

/** A Data packet (header + message) in one allocation. Also throws `PACKET_TOO_LARGE`. */
export function encodeMessagePacket(msg: MessageInit, dictionary?: RouteDictionary): Uint8Array {
  return encode(msg, dictionary, PACKET_HEADER_LENGTH);
}

/** `headerRoom` bytes are reserved in front for a packet header. */
function encode(msg: MessageInit, dictionary: RouteDictionary | undefined, headerRoom: number): Uint8Array {
  const type = msg.type;
  if (!isMessageType(type)) {
    throw new ProtocolError('BAD_MESSAGE_TYPE', `invalid message type ${String(type)}; expected 0..3`);
  }
  const data = msg.data ?? EMPTY;
  let flag = type << 1;
  if (msg.compressed) flag |= MessageFlag.Compressed;
  if (msg.error) flag |= MessageFlag.Error;
  let length = 1 + data.length;
  const hasId = messageHasId(type);
  const id = hasId ? (msg.id ?? 0) : 0;
  if (hasId) length += varintLength(id);
  let code: number | undefined;
  let route = EMPTY;
  if (messageHasRoute(type)) {
    code = dictionary?.codeOf(msg.route ?? '');
    if (code !== undefined) {
      flag |= MessageFlag.RouteCompressed;
      length += 2;
    } else {
      route = encodeRoute(msg.route ?? '');
      length += 1 + route.length;
    }
  }
  if (headerRoom > 0 && length > MAX_PACKET_BODY_LENGTH) throw tooLarge(length, MAX_PACKET_BODY_LENGTH);

  const out = allocBytes(headerRoom + length); // every byte is written below
  if (headerRoom > 0) writePacketHeader(out, 0, PacketType.Data, length);
  let at = headerRoom;
  out[at++] = flag;
  if (hasId) at = writeVarint(out, at, id);
  if (code !== undefined) {
    out[at++] = code >>> 8;
    out[at++] = code & 0xff;
  } else if (messageHasRoute(type)) {
    out[at++] = route.length;
    out.set(route, at);
    at += route.length;
  }
  out.set(data, at);
  return out;
}

/**
 * Decodes a message; `data` is a view into `bytes` and is NOT inflated (check `compressed`).
 * Throws `MESSAGE_TOO_SHORT` (< 2 bytes), `BAD_MESSAGE_TYPE` (> 3), `BAD_VARINT`, `ROUTE_OUT_OF_BOUNDS`,
 * `UNKNOWN_ROUTE_CODE` (a compressed route not in `dictionary`, or no dictionary).
 */
export function decodeMessage(bytes: Uint8Array, dictionary?: RouteDictionary): Message {
  const size = bytes.length;
  if (size < MIN_MESSAGE_LENGTH) {
    const message = `message is ${size} byte(s); at least ${MIN_MESSAGE_LENGTH} are required`;
    throw new ProtocolError('MESSAGE_TOO_SHORT', message);
  }
  const flag = bytes[0];
  const type = (flag >> 1) & 0x07;
  if (!isMessageType(type)) {
    throw new ProtocolError('BAD_MESSAGE_TYPE', `invalid message type ${type} in flag 0x${flag.toString(16)}`);
  }
  let at = 1;
  let id = 0;
  if (messageHasId(type)) {
    id = decodeVarint(bytes, at);
    at = varintNext;
  }
  let route = '';
  let routeCompressed = false;
  if (messageHasRoute(type)) {
    if ((flag & MessageFlag.RouteCompressed) !== 0) {
      if (at + 2 > size) throw outOfBounds(`route code needs 2 bytes at offset ${at} of a ${size}-byte message`);
      const code = (bytes[at] << 8) | bytes[at + 1];
      const known = dictionary?.routeOf(code);
      if (known === undefined) {
        throw new ProtocolError('UNKNOWN_ROUTE_CODE', `route code ${code} is not in the route dictionary`);
      }
      route = known;
      routeCompressed = true;
      at += 2;
    } else {
      if (at >= size) throw outOfBounds(`route length byte missing at offset ${at} of a ${size}-byte message`);
      const length = bytes[at++];
      if (at + length > size) {
        throw outOfBounds(`route of ${length} byte(s) at offset ${at} overruns the ${size}-byte message`);
      }
      route = decodeRoute(bytes, at, at + length);
      at += length;
    }
  }
  return {
    type: type as MessageType,
    id,
    route,
    routeCompressed,
    data: bytes.subarray(at),
    compressed: (flag & MessageFlag.Compressed) !== 0,
    error: (flag & MessageFlag.Error) !== 0,
  };
}

function outOfBounds(message: string): ProtocolError {
  return new ProtocolError('ROUTE_OUT_OF_BOUNDS', message);
}
