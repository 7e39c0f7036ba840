import { encodeMessagePacket, MessageType } from '@pitaya-ts/protocol';

/** Every id in [2^21, 2^28) is a 4-byte varint, so one pre-encoded packet fits all of them. */
export const FIRST_REQUEST_ID = 0x200000;
const LAST_REQUEST_ID = 0x0fffffff;
/** Packet header (4) + message flag (1): where the id starts. */
const ID_OFFSET = 5;

/** The id after `id`, wrapping inside the 4-byte varint range. */
export function nextRequestId(id: number): number {
  return id >= LAST_REQUEST_ID ? FIRST_REQUEST_ID : id + 1;
}

/**
 * A request packet encoded once with `@pitaya-ts/protocol`; `build(id)` copies it and patches the
 * id in place, so the generator spends its core on sending, not on re-encoding the same bytes.
 */
export class RequestTemplate {
  private readonly bytes: Uint8Array;

  constructor(route: string, data: Uint8Array) {
    this.bytes = encodeMessagePacket({ type: MessageType.Request, id: FIRST_REQUEST_ID, route, data });
  }

  /** Packet length in bytes. */
  get length(): number {
    return this.bytes.length;
  }

  /** A fresh packet (the transport may keep it until written) carrying `id`. */
  build(id: number): Uint8Array {
    if (id < FIRST_REQUEST_ID || id > LAST_REQUEST_ID) throw new RangeError(`request id ${id} is outside the 4-byte varint range`);
    const out = Buffer.allocUnsafe(this.bytes.length);
    out.set(this.bytes);
    out[ID_OFFSET] = (id & 0x7f) | 0x80;
    out[ID_OFFSET + 1] = ((id >>> 7) & 0x7f) | 0x80;
    out[ID_OFFSET + 2] = ((id >>> 14) & 0x7f) | 0x80;
    out[ID_OFFSET + 3] = (id >>> 21) & 0x7f;
    return out;
  }
}
