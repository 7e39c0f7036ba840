import {
  MessageType,
  PacketDecoder,
  PacketType,
  ProtocolError,
  RouteDictionary,
  decodeFrame,
  decodeHandshakeRequest,
  decodeMessage,
  encodeMessagePacket,
  inflate,
  type MessageInit,
} from '@pitaya-ts/protocol';
import { concat, prng, toHex } from './support/bytes';

// Seeded and bounded: reproducible, and a few hundred cases run in milliseconds.
const SEED = 0x5eed;
const CASES = 400;

const ROUTE_CHARS = Array.from('abcxyz.ABC_09é🎲');
const dict = new RouteDictionary({ 'room.join': 1, 'room.message': 2, onMessage: 300, 'é.🎲': 65535 });

function randomInit(rnd: () => number): MessageInit {
  const int = (n: number): number => Math.floor(rnd() * n);
  const type = int(4) as MessageType;
  const pick = rnd();
  const route =
    pick < 0.3 ? ['room.join', 'room.message', 'onMessage', 'é.🎲'][int(4)] : Array.from({ length: int(30) }, () => ROUTE_CHARS[int(ROUTE_CHARS.length)]).join('');
  const idScale = [1, 128, 2 ** 14, 2 ** 32, 2 ** 45][int(5)];
  return {
    type,
    id: int(idScale),
    route,
    data: Uint8Array.from({ length: int(2) ? int(40) : int(400) }, () => int(256)),
    compressed: rnd() < 0.2,
    error: rnd() < 0.2,
  };
}

describe('randomized round trip (seeded)', () => {
  test('encodeMessagePacket -> stream split at random -> PacketDecoder -> decodeMessage', () => {
    const rnd = prng(SEED);
    const inits = Array.from({ length: CASES }, () => randomInit(rnd));
    const stream = concat(...inits.map((m) => encodeMessagePacket(m, dict)));
    const decoder = new PacketDecoder();
    const got: Uint8Array[] = [];
    for (let at = 0; at < stream.length; ) {
      const n = 1 + Math.floor(rnd() * 700);
      decoder.push(stream.subarray(at, at + n), (type, body) => {
        expect(type).toBe(PacketType.Data);
        got.push(body);
      });
      at += n;
    }
    expect(got).toHaveLength(CASES);
    got.forEach((body, i) => {
      const want = inits[i];
      const m = decodeMessage(body, dict);
      const hasId = want.type === MessageType.Request || want.type === MessageType.Response;
      const hasRoute = want.type !== MessageType.Response;
      expect(m.type).toBe(want.type);
      expect(m.id).toBe(hasId ? want.id : 0);
      expect(m.route).toBe(hasRoute ? want.route : '');
      expect(m.routeCompressed).toBe(hasRoute && dict.codeOf(want.route ?? '') !== undefined);
      expect(toHex(m.data)).toBe(toHex(want.data ?? new Uint8Array(0)));
      expect(m.compressed).toBe(want.compressed);
      expect(m.error).toBe(want.error);
    });
  });

  test('random garbage only ever throws ProtocolError', () => {
    const rnd = prng(SEED + 1);
    const attempt = (fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
      }
    };
    for (let i = 0; i < CASES; i++) {
      const junk = Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
      if (rnd() < 0.5 && junk.length > 2) junk.set([0x78, 0x9c]);
      attempt(() => decodeMessage(junk, dict));
      attempt(() => decodeFrame(junk));
      attempt(() => new PacketDecoder({ maxBodyLength: 1000 }).push(junk, () => undefined));
      attempt(() => inflate(junk));
      attempt(() => decodeHandshakeRequest(junk));
    }
  });
});
