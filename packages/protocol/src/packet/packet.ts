import { allocBytes } from '../utf8';
import { ProtocolError } from '../errors';

/** Packet types (byte 0 of every packet). */
export const PacketType = {
  Handshake: 0x01,
  HandshakeAck: 0x02,
  Heartbeat: 0x03,
  Data: 0x04,
  Kick: 0x05,
} as const;

/** A valid packet type byte. */
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/** Type byte + 24-bit big-endian body length. */
export const PACKET_HEADER_LENGTH = 4;

/** 2^24-1. Pitaya's encoder accepts 2^24 and wraps the length to 0 (a bug), so that size is refused. */
export const MAX_PACKET_BODY_LENGTH = 0xffffff;

/** True when `n` is a packet type byte (0x01..0x05). */
export function isPacketType(n: number): n is PacketType {
  return n >= PacketType.Handshake && n <= PacketType.Kick && Number.isInteger(n);
}

/** Header + body in one allocation. Throws `BAD_PACKET_TYPE` or `PACKET_TOO_LARGE`. */
export function encodePacket(type: PacketType, body?: Uint8Array): Uint8Array {
  const length = body === undefined ? 0 : body.length;
  checkBodyLength(length); // before allocating
  const out = allocBytes(PACKET_HEADER_LENGTH + length); // header and body fill it
  writePacketHeader(out, 0, type, length);
  if (body !== undefined) out.set(body, PACKET_HEADER_LENGTH);
  return out;
}

/**
 * Writes a 4-byte header at `offset`. Throws `BAD_PACKET_TYPE`, `PACKET_TOO_LARGE` (length outside
 * 0..2^24-1), or a RangeError when the header does not fit in `target`.
 */
export function writePacketHeader(target: Uint8Array, offset: number, type: PacketType, bodyLength: number): void {
  if (!isPacketType(type)) throw badType(type);
  checkBodyLength(bodyLength);
  if (!(offset >= 0 && offset + PACKET_HEADER_LENGTH <= target.length)) {
    throw new RangeError(`packet header does not fit at offset ${offset} of a ${target.length}-byte buffer`);
  }
  target[offset] = type;
  target[offset + 1] = bodyLength >>> 16;
  target[offset + 2] = (bodyLength >>> 8) & 0xff;
  target[offset + 3] = bodyLength & 0xff;
}

/**
 * Decodes a WebSocket frame, which must hold exactly one packet. The body is a view (no copy).
 * Throws `FRAME_TOO_SHORT` (< 4 bytes), `BAD_PACKET_TYPE`, `PACKET_TOO_LARGE` (header length above
 * `maxBodyLength`), `LENGTH_MISMATCH` (body shorter or longer than the header says).
 */
export function decodeFrame(
  frame: Uint8Array,
  maxBodyLength: number = MAX_PACKET_BODY_LENGTH,
): { type: PacketType; body: Uint8Array } {
  if (frame.length < PACKET_HEADER_LENGTH) {
    throw new ProtocolError('FRAME_TOO_SHORT', `frame is ${frame.length} byte(s); a packet header needs 4`);
  }
  const type = frame[0];
  if (!isPacketType(type)) throw badType(type);
  const length = readBodyLength(frame, 0);
  if (length > maxBodyLength) throw tooLarge(length, maxBodyLength);
  const actual = frame.length - PACKET_HEADER_LENGTH;
  if (actual !== length) {
    throw new ProtocolError(
      'LENGTH_MISMATCH',
      `packet header announces ${length} body byte(s) but the frame carries ${actual}` +
        (actual > length ? ' (one packet per WebSocket message)' : ''),
    );
  }
  return { type, body: frame.subarray(PACKET_HEADER_LENGTH) };
}

/** `02 00 00 00`; shared instance, never mutate it. */
export const HANDSHAKE_ACK_PACKET: Uint8Array = Uint8Array.of(PacketType.HandshakeAck, 0, 0, 0);
/** `03 00 00 00`; shared instance, never mutate it. */
export const HEARTBEAT_PACKET: Uint8Array = Uint8Array.of(PacketType.Heartbeat, 0, 0, 0);
/** `05 00 00 00`; shared instance, never mutate it. */
export const KICK_PACKET: Uint8Array = Uint8Array.of(PacketType.Kick, 0, 0, 0);

/** Big-endian 24-bit length at `offset + 1`. @internal */
export function readBodyLength(src: Uint8Array, offset: number): number {
  return (src[offset + 1] << 16) | (src[offset + 2] << 8) | src[offset + 3];
}

/** @internal */
export function badType(type: number): ProtocolError {
  return new ProtocolError('BAD_PACKET_TYPE', `invalid packet type ${hex(type)}; expected 0x01..0x05`);
}

/** @internal */
export function tooLarge(length: number, max: number, atLeast = false): ProtocolError {
  const size = `${atLeast ? 'at least ' : ''}${length}`;
  return new ProtocolError('PACKET_TOO_LARGE', `packet body of ${size} bytes exceeds the limit of ${max}`);
}

/** Validates an option such as `maxBodyLength`. @internal */
export function checkMaxBodyLength(max: number): number {
  if (!Number.isInteger(max) || max < 0 || max > MAX_PACKET_BODY_LENGTH) {
    throw new RangeError(`maxBodyLength must be an integer in 0..${MAX_PACKET_BODY_LENGTH}, got ${max}`);
  }
  return max;
}

function checkBodyLength(length: number): void {
  if (!(Number.isInteger(length) && length >= 0 && length <= MAX_PACKET_BODY_LENGTH)) {
    throw tooLarge(length, MAX_PACKET_BODY_LENGTH);
  }
}

function hex(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0xff ? '0x' + n.toString(16).padStart(2, '0') : String(n);
}
