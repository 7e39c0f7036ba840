import {
  HANDSHAKE_ACK_PACKET,
  HEARTBEAT_PACKET,
  KICK_PACKET,
  MAX_PACKET_BODY_LENGTH,
  PacketType,
  ProtocolError,
  decodeFrame,
  encodePacket,
  isPacketType,
  writePacketHeader,
} from '@pitaya-ts/protocol';
import { hex, reasonOf, toHex } from '../support/bytes';

describe('packet layer', () => {
  test('constant packets', () => {
    expect(toHex(HANDSHAKE_ACK_PACKET)).toBe('02000000');
    expect(toHex(HEARTBEAT_PACKET)).toBe('03000000');
    expect(toHex(KICK_PACKET)).toBe('05000000');
  });

  test('isPacketType accepts exactly 1..5', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1.5, -1, 255].map(isPacketType)).toEqual([
      false, true, true, true, true, true, false, false, false, false,
    ]);
  });

  test('encodePacket writes type + 24-bit big-endian length + body', () => {
    expect(toHex(encodePacket(PacketType.Heartbeat))).toBe('03000000');
    expect(toHex(encodePacket(PacketType.Data, hex('aabb')))).toBe('04000002aabb');
    const body = new Uint8Array(0x012345);
    const p = encodePacket(PacketType.Handshake, body);
    expect(toHex(p.subarray(0, 4))).toBe('01012345');
    expect(p.length).toBe(4 + 0x012345);
  });

  test('encodePacket refuses a bad type', () => {
    expect(reasonOf(() => encodePacket(6 as PacketType))).toBe('BAD_PACKET_TYPE');
    expect(reasonOf(() => encodePacket(0 as PacketType))).toBe('BAD_PACKET_TYPE');
  });

  test('writePacketHeader: the largest length is 2^24-1; 2^24 (which Go wraps to 0) is refused', () => {
    const t = new Uint8Array(6);
    writePacketHeader(t, 2, PacketType.Data, MAX_PACKET_BODY_LENGTH);
    expect(toHex(t)).toBe('000004ffffff');
    expect(reasonOf(() => writePacketHeader(t, 0, PacketType.Data, 0x1000000))).toBe('PACKET_TOO_LARGE');
    expect(reasonOf(() => writePacketHeader(t, 0, PacketType.Data, -1))).toBe('PACKET_TOO_LARGE');
    expect(() => writePacketHeader(t, 3, PacketType.Data, 0)).toThrow(RangeError);
  });

  describe('decodeFrame (WebSocket: exactly one packet per message)', () => {
    test('exact frame: body is a view, not a copy', () => {
      const frame = hex('04000003 010203');
      const { type, body } = decodeFrame(frame);
      expect(type).toBe(PacketType.Data);
      expect(toHex(body)).toBe('010203');
      expect(body.buffer).toBe(frame.buffer);
      expect(body.byteOffset).toBe(4);
    });

    test('empty body', () => {
      expect(decodeFrame(hex('03000000')).body.length).toBe(0);
    });

    test('too short', () => {
      for (const f of ['', '04', '040000']) expect(reasonOf(() => decodeFrame(hex(f)))).toBe('FRAME_TOO_SHORT');
    });

    test('body shorter or longer than the header', () => {
      expect(reasonOf(() => decodeFrame(hex('04000003 0102')))).toBe('LENGTH_MISMATCH');
      expect(reasonOf(() => decodeFrame(hex('04000001 0102')))).toBe('LENGTH_MISMATCH');
      // two coalesced packets in one frame are refused, as gorilla-based Pitaya does
      expect(reasonOf(() => decodeFrame(hex('03000000 03000000')))).toBe('LENGTH_MISMATCH');
    });

    test('bad type and oversize length', () => {
      expect(reasonOf(() => decodeFrame(hex('00000000')))).toBe('BAD_PACKET_TYPE');
      expect(reasonOf(() => decodeFrame(hex('06000000')))).toBe('BAD_PACKET_TYPE');
      expect(reasonOf(() => decodeFrame(hex('04000010'), 15))).toBe('PACKET_TOO_LARGE');
    });

    test('errors are ProtocolErrors with a message', () => {
      try {
        decodeFrame(hex('09000000'));
        throw new Error('unreachable');
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        expect((e as ProtocolError).name).toBe('ProtocolError');
        expect((e as ProtocolError).message).toMatch(/0x09/);
      }
    });
  });
});
