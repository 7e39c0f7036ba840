import { encodeMessagePacket, MessageType } from '@pitaya-ts/protocol';
import { clientHeaderLength, CLIENT_MASK, maskInto, writeClientHeader } from './ws-frames';

/** Every id in [2^21, 2^28) is a 4-byte varint, so one pre-encoded packet fits all of them. */
export const FIRST_REQUEST_ID = 0x200000;
const LAST_REQUEST_ID = 0x0fffffff;
/** Packet header (4) + message flag (1): where the id starts. */
const ID_OFFSET = 5;

/** The id after `id`, wrapping inside the 4-byte varint range. */
export function nextRequestId(id: number): number {
  return id >= LAST_REQUEST_ID ? FIRST_REQUEST_ID : id + 1;
}

function checkId(id: number): void {
  if (id < FIRST_REQUEST_ID || id > LAST_REQUEST_ID) throw new RangeError(`request id ${id} is outside the 4-byte varint range`);
}

/**
 * A request packet encoded once with `@pitaya-ts/protocol`; `build(id)` copies it and patches the
 * id in place, so the generator spends its core on sending, not on re-encoding the same bytes.
 */
export class RequestTemplate {
  /** The packet, unframed. */
  readonly bytes: Uint8Array;

  constructor(route: string, data: Uint8Array) {
    this.bytes = encodeMessagePacket({ type: MessageType.Request, id: FIRST_REQUEST_ID, route, data });
  }

  /** Packet length in bytes. */
  get length(): number {
    return this.bytes.length;
  }

  /** A fresh packet (the transport may keep it until written) carrying `id`. */
  build(id: number): Uint8Array {
    checkId(id);
    const out = Buffer.allocUnsafe(this.bytes.length);
    out.set(this.bytes);
    out[ID_OFFSET] = (id & 0x7f) | 0x80;
    out[ID_OFFSET + 1] = ((id >>> 7) & 0x7f) | 0x80;
    out[ID_OFFSET + 2] = ((id >>> 14) & 0x7f) | 0x80;
    out[ID_OFFSET + 3] = (id >>> 21) & 0x7f;
    return out;
  }
}

/**
 * The bytes one request takes on the wire: the packet as is (TCP, or a WebSocket client library
 * that frames it), or inside a masked WebSocket client frame built and masked once, the id patched
 * (and masked) in place per request. What `BenchConnection.writeWire` expects.
 */
export class WireRequest {
  private readonly frame: Buffer;
  /** Offset of the id in `frame`, and of the payload (the mask counts from there); -1 = unmasked. */
  private readonly idAt: number;
  private readonly payloadAt: number;

  constructor(template: RequestTemplate, websocketFrame: boolean) {
    const packet = template.bytes;
    if (websocketFrame) {
      this.frame = Buffer.allocUnsafe(clientHeaderLength(packet.length) + packet.length);
      this.payloadAt = writeClientHeader(this.frame, 0, 0x2, packet.length);
      maskInto(this.frame, this.payloadAt, packet);
    } else {
      this.frame = Buffer.from(packet);
      this.payloadAt = -1;
    }
    this.idAt = (this.payloadAt < 0 ? 0 : this.payloadAt) + ID_OFFSET;
  }

  /** Bytes per request on the wire. */
  get length(): number {
    return this.frame.length;
  }

  /** A fresh copy carrying `id` (for callers with several requests in flight per connection). */
  build(id: number): Buffer {
    const out = Buffer.allocUnsafe(this.frame.length);
    this.frame.copy(out);
    this.patch(out, id);
    return out;
  }

  /**
   * Rewrites the id of a buffer from {@link build}. Only safe once the previous request in it was
   * answered: the server has then read it, so the socket no longer needs those bytes.
   */
  patch(out: Buffer, id: number): void {
    checkId(id);
    const at = this.idAt;
    const b0 = (id & 0x7f) | 0x80;
    const b1 = ((id >>> 7) & 0x7f) | 0x80;
    const b2 = ((id >>> 14) & 0x7f) | 0x80;
    const b3 = (id >>> 21) & 0x7f;
    if (this.payloadAt < 0) {
      out[at] = b0;
      out[at + 1] = b1;
      out[at + 2] = b2;
      out[at + 3] = b3;
      return;
    }
    const m = at - this.payloadAt;
    out[at] = b0 ^ CLIENT_MASK[m & 3]!;
    out[at + 1] = b1 ^ CLIENT_MASK[(m + 1) & 3]!;
    out[at + 2] = b2 ^ CLIENT_MASK[(m + 2) & 3]!;
    out[at + 3] = b3 ^ CLIENT_MASK[(m + 3) & 3]!;
  }
}
