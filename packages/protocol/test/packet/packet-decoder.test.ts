import { PacketDecoder, PacketType, encodePacket } from '@pitaya-ts/protocol';
import { concat, hex, reasonOf, toHex } from '../support/bytes';

type Got = [PacketType, string];

function collect(decoder: PacketDecoder, chunks: Uint8Array[]): Got[] {
  const got: Got[] = [];
  for (const c of chunks) decoder.push(c, (type, body) => got.push([type, toHex(body)]));
  return got;
}

const bodies = [hex(''), hex('01'), hex('0a0b0c0d0e'), new Uint8Array(300).fill(7)];
const packets = [
  encodePacket(PacketType.Heartbeat),
  encodePacket(PacketType.Data, bodies[1]),
  encodePacket(PacketType.Data, bodies[2]),
  encodePacket(PacketType.Kick),
  encodePacket(PacketType.Handshake, bodies[3]),
];
const stream = concat(...packets);
const expected: Got[] = [
  [PacketType.Heartbeat, ''],
  [PacketType.Data, '01'],
  [PacketType.Data, '0a0b0c0d0e'],
  [PacketType.Kick, ''],
  [PacketType.Handshake, toHex(bodies[3])],
];

describe('PacketDecoder', () => {
  test('many packets coalesced in one chunk; bodies are views into it', () => {
    const views: Uint8Array[] = [];
    const d = new PacketDecoder();
    d.push(stream, (_t, body) => views.push(body));
    expect(views.map(toHex)).toEqual(expected.map((e) => e[1]));
    for (const v of views) expect(v.buffer).toBe(stream.buffer);
    expect(d.bufferedBytes).toBe(0);
  });

  test('split in two at every byte boundary', () => {
    for (let i = 0; i <= stream.length; i++) {
      const d = new PacketDecoder();
      expect(collect(d, [stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
      expect(d.bufferedBytes).toBe(0);
    }
  });

  test('one byte at a time', () => {
    const chunks = Array.from(stream, (b) => Uint8Array.of(b));
    expect(collect(new PacketDecoder(), chunks)).toEqual(expected);
  });

  test('a packet split across 3+ chunks is reassembled; bufferedBytes tracks progress', () => {
    const body = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const p = encodePacket(PacketType.Data, body);
    const d = new PacketDecoder();
    const got: Uint8Array[] = [];
    d.push(p.subarray(0, 2), (_t, b) => got.push(b));
    expect(d.bufferedBytes).toBe(2);
    d.push(p.subarray(2, 300), (_t, b) => got.push(b));
    expect(d.bufferedBytes).toBe(300);
    d.push(p.subarray(300, 700), (_t, b) => got.push(b));
    d.push(p.subarray(700), (_t, b) => got.push(b));
    expect(got).toHaveLength(1);
    expect(toHex(got[0])).toBe(toHex(body));
    expect(d.bufferedBytes).toBe(0);
  });

  test('a large body (gathered piecewise) split across many chunks, with a packet after it', () => {
    const body = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff);
    const s = concat(encodePacket(PacketType.Data, body), encodePacket(PacketType.Heartbeat));
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < s.length; at += 65_536) chunks.push(s.slice(at, at + 65_536));
    const got = collect(new PacketDecoder(), chunks);
    expect(got).toHaveLength(2);
    expect(got[0][1]).toBe(toHex(body));
    expect(got[1]).toEqual([PacketType.Heartbeat, '']);
  });

  test('spanning bodies are copies: reusing the chunk buffer afterwards does not corrupt them', () => {
    const p = encodePacket(PacketType.Data, hex('11223344'));
    const scratch = new Uint8Array(8);
    const d = new PacketDecoder();
    const got: Uint8Array[] = [];
    scratch.set(p.subarray(0, 6));
    d.push(scratch.subarray(0, 6), (_t, b) => got.push(b));
    scratch.fill(0xee);
    scratch.set(p.subarray(6));
    d.push(scratch.subarray(0, 2), (_t, b) => got.push(b));
    expect(toHex(got[0])).toBe('11223344');
  });

  test('an oversize length is rejected from the header alone', () => {
    const d = new PacketDecoder({ maxBodyLength: 1000 });
    expect(reasonOf(() => d.push(hex('04 00 03 e9'), () => undefined))).toBe('PACKET_TOO_LARGE');
    const split = new PacketDecoder({ maxBodyLength: 1000 });
    split.push(hex('04 00'), () => undefined);
    // 04 00 04 ?? is at least 1024 bytes: refused before the last header byte arrives
    expect(reasonOf(() => split.push(hex('04'), () => undefined))).toBe('PACKET_TOO_LARGE');
    // exactly the limit is fine
    const ok = new PacketDecoder({ maxBodyLength: 3 });
    expect(collect(ok, [hex('04000003 aabbcc')])).toEqual([[PacketType.Data, 'aabbcc']]);
  });

  test('a bad type is rejected from the first byte, and the decoder then ignores input', () => {
    for (const b of [0x00, 0x06, 0xff]) {
      const d = new PacketDecoder();
      expect(reasonOf(() => d.push(Uint8Array.of(b), () => undefined))).toBe('BAD_PACKET_TYPE');
      const seen: unknown[] = [];
      d.push(HEARTBEAT, (t) => seen.push(t));
      expect(seen).toEqual([]);
      expect(d.bufferedBytes).toBe(0);
    }
    // bad type right after a good packet in the same chunk: the good one is delivered first
    const d = new PacketDecoder();
    const seen: unknown[] = [];
    expect(reasonOf(() => d.push(hex('03000000 07'), (t) => seen.push(t)))).toBe('BAD_PACKET_TYPE');
    expect(seen).toEqual([PacketType.Heartbeat]);
  });

  test('destroy() inside the callback stops the push immediately', () => {
    const d = new PacketDecoder();
    const seen: unknown[] = [];
    d.push(stream, (t) => {
      seen.push(t);
      d.destroy();
    });
    expect(seen).toEqual([PacketType.Heartbeat]);
    d.push(stream, (t) => seen.push(t));
    expect(seen).toHaveLength(1);
  });

  test('destroy() inside the callback of a spanning body also stops', () => {
    const d = new PacketDecoder();
    const seen: unknown[] = [];
    const s = concat(encodePacket(PacketType.Data, hex('0102')), HEARTBEAT);
    d.push(s.subarray(0, 5), () => undefined);
    d.push(s.subarray(5), (t) => {
      seen.push(t);
      d.destroy();
    });
    expect(seen).toEqual([PacketType.Data]);
  });

  test('an exception from the callback propagates and kills the decoder', () => {
    const d = new PacketDecoder();
    expect(() =>
      d.push(stream, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const seen: unknown[] = [];
    d.push(stream, (t) => seen.push(t));
    expect(seen).toEqual([]);
  });

  test('rejects an invalid maxBodyLength option', () => {
    expect(() => new PacketDecoder({ maxBodyLength: -1 })).toThrow(RangeError);
    expect(() => new PacketDecoder({ maxBodyLength: 2 ** 24 })).toThrow(RangeError);
  });
});

const HEARTBEAT = hex('03000000');
