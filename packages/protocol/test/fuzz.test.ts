/**
 * Property-based fuzzing of everything that reads bytes from a client: the packet decoder, the
 * message codec and the handshake. Bounded to a few seconds; the long run is `npm run fuzz`.
 * The only failure any of them may report is a ProtocolError.
 */
import fc from 'fast-check';
import {
  decodeHandshakeRequest, decodeMessage, encodeMessage, encodePacket, MessageType, PacketDecoder,
  PacketType, ProtocolError, RouteDictionary, utf8Encode, type Message,
} from '@pitaya-ts/protocol';

const RUNS = { numRuns: 400 };

/** Runs `f`; any throw that is not a ProtocolError fails the property. */
function onlyProtocolErrors<T>(f: () => T): T | ProtocolError {
  try {
    return f();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
}

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

const validPacket = fc
  .tuple(fc.constantFrom(PacketType.Handshake, PacketType.HandshakeAck, PacketType.Heartbeat, PacketType.Data, PacketType.Kick), fc.uint8Array({ maxLength: 300 }))
  .map(([type, body]) => encodePacket(type, body));
/** Streams of valid packets with random bytes spliced in: the decoder's real diet under attack. */
const stream = fc
  .array(fc.oneof({ weight: 4, arbitrary: validPacket }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }) }), { maxLength: 20 })
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));

describe('fuzz: packet decoder', () => {
  it('never throws anything but a ProtocolError, and chunking never changes what it delivers', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 64, max: 1 << 12 }), (bytes, cuts, max) => {
        const deliver = (parts: Uint8Array[]): { packets: string[]; error: string | undefined } => {
          const decoder = new PacketDecoder({ maxBodyLength: max });
          const packets: string[] = [];
          let error: string | undefined;
          for (const part of parts) {
            const r = onlyProtocolErrors(() => decoder.push(part, (type, body) => packets.push(`${type}:${Buffer.from(body).toString('hex')}`)));
            if (r instanceof ProtocolError) {
              error = r.reason;
              break;
            }
          }
          return { packets, error };
        };
        const whole = deliver([bytes]);
        const split = deliver(chunks(bytes, cuts));
        expect(split).toEqual(whole);
        // Memory held by the packet in progress never exceeds the announced size.
        const decoder = new PacketDecoder({ maxBodyLength: max });
        for (const part of chunks(bytes, cuts)) {
          if (onlyProtocolErrors(() => decoder.push(part, () => undefined)) instanceof ProtocolError) break;
          expect(decoder.heldBytes).toBeLessThanOrEqual(max + 4);
        }
      }),
      RUNS,
    );
  });
});

const dictionary = new RouteDictionary({ 'room.room.join': 1, 'room.room.message': 2 });
const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ type: fc.constant(MessageType.Request), id: fc.integer({ min: 1, max: 2 ** 31 }), route: fc.constantFrom('room.room.join', 'a.b.c', 'x'), data: fc.uint8Array({ maxLength: 200 }), compressed: fc.constant(false) }),
  fc.record({ type: fc.constant(MessageType.Notify), id: fc.constant(0), route: fc.constantFrom('room.room.message', 'chat.room.say'), data: fc.uint8Array({ maxLength: 200 }), compressed: fc.constant(false) }),
) as fc.Arbitrary<Message>;

describe('fuzz: message codec', () => {
  it('decodes random bytes to a message or a ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withDictionary) => {
        onlyProtocolErrors(() => decodeMessage(bytes, withDictionary ? dictionary : undefined));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every valid message, and survives any single-byte corruption of it', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, value) => {
        const bytes = encodeMessage(m, dictionary);
        const back = decodeMessage(bytes, dictionary);
        expect({ type: back.type, id: back.id, route: back.route, data: Buffer.from(back.data).toString('hex') })
          .toEqual({ type: m.type, id: m.id, route: m.route, data: Buffer.from(m.data).toString('hex') });
        const corrupt = Uint8Array.from(bytes);
        corrupt[at % corrupt.length] = value;
        onlyProtocolErrors(() => decodeMessage(corrupt, dictionary));
        onlyProtocolErrors(() => decodeMessage(corrupt.subarray(0, at % corrupt.length), dictionary));
      }),
      RUNS,
    );
  });
});

describe('fuzz: handshake', () => {
  it('decodes random bytes and random JSON to a handshake or a ProtocolError, nothing else, and never keeps a polluting key', () => {
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'sys', 'user', 'platform'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.dictionary(key, tie('value'), { maxKeys: 4 }), fc.array(tie('value'), { maxLength: 3 })),
    })).value;
    // JSON text where keys may be written with \u escapes, as an attacker would.
    const escaped = (text: string): string => text.replace(/"(__proto__|constructor|prototype)"/g, (_m, k: string) => `"\\u${k.charCodeAt(0).toString(16).padStart(4, '0')}${k.slice(1)}"`);
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), json.map((v) => utf8Encode(escaped(JSON.stringify({ sys: { platform: 'x' }, user: v }))))), (bytes) => {
        const r = onlyProtocolErrors(() => decodeHandshakeRequest(bytes));
        if (!(r instanceof ProtocolError)) {
          const text = JSON.stringify(r);
          expect(/"(__proto__|constructor|prototype)":/.test(text)).toBe(false);
        }
      }),
      RUNS,
    );
  });
});
