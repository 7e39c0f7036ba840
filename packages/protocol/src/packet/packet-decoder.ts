import { allocBytes } from '../utf8';
import {
  MAX_PACKET_BODY_LENGTH,
  PACKET_HEADER_LENGTH,
  type PacketType,
  badType,
  checkMaxBodyLength,
  isPacketType,
  readBodyLength,
  tooLarge,
} from './packet';

/** Receives one decoded packet; `body` may be a view into the pushed chunk, valid for this call's data. */
export type PacketHandler = (type: PacketType, body: Uint8Array) => void;

/** Options of {@link PacketDecoder}. */
export interface PacketDecoderOptions {
  /** Largest accepted body, checked from the header alone. Default and maximum: 2^24-1. */
  maxBodyLength?: number;
}

/**
 * Bodies up to this size are allocated in full when their header arrives. Larger ones are gathered
 * piecewise so 4 bytes announcing 16 MiB cannot make us allocate 16 MiB.
 */
const PREALLOCATE_LIMIT = 64 * 1024;
const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * Incremental decoder for a TCP byte stream: packets may be split across chunks or coalesced in one.
 * The type byte is validated as soon as it arrives and the length as soon as the header is complete.
 * Bodies wholly inside one chunk are views (no copy); bodies spanning chunks are copied into a new buffer.
 * After a throw (from the stream or from `onPacket`) or `destroy()`, further input is ignored.
 * Not reentrant: do not call `push` from inside `onPacket`.
 */
export class PacketDecoder {
  readonly #maxBodyLength: number;
  readonly #header = new Uint8Array(PACKET_HEADER_LENGTH);
  #headerFill = 0;
  #type: PacketType = 1;
  #bodyLength = 0;
  /** Body being assembled: one buffer (small bodies) or copied pieces (large ones). */
  #body: Uint8Array | null = null;
  #pieces: Uint8Array[] | null = null;
  #bodyFill = 0;
  #dead = false;

  /** @param options - see {@link PacketDecoderOptions} */
  constructor(options: PacketDecoderOptions = {}) {
    this.#maxBodyLength = checkMaxBodyLength(options.maxBodyLength ?? MAX_PACKET_BODY_LENGTH);
  }

  /** Bytes received of the packet in progress (header included), not yet delivered. */
  get bufferedBytes(): number {
    return this.#body !== null || this.#pieces !== null ? PACKET_HEADER_LENGTH + this.#bodyFill : this.#headerFill;
  }

  /** Bytes of memory the packet in progress holds: a preallocated body counts whole, as soon as its header is read. */
  get heldBytes(): number {
    if (this.#body !== null) return PACKET_HEADER_LENGTH + this.#body.length;
    return this.#pieces !== null ? PACKET_HEADER_LENGTH + this.#bodyFill : this.#headerFill;
  }

  /**
   * Feeds a chunk; calls `onPacket` for every packet it completes, in order. Throws `ProtocolError`
   * (`BAD_PACKET_TYPE`, `PACKET_TOO_LARGE`). If `onPacket` calls `destroy()`, decoding stops at once.
   */
  push(chunk: Uint8Array, onPacket: PacketHandler): void {
    if (this.#dead) return;
    try {
      this.#run(chunk, onPacket);
    } catch (e) {
      this.destroy(); // the stream position is unknown now
      throw e;
    }
  }

  /** Drops buffered data and ignores further input. */
  destroy(): void {
    this.#dead = true;
    this.#body = null;
    this.#pieces = null;
    this.#headerFill = 0;
    this.#bodyFill = 0;
  }

  #run(chunk: Uint8Array, onPacket: PacketHandler): void {
    const n = chunk.length;
    let off = 0;
    while (off < n) {
      if (this.#body !== null || this.#pieces !== null) {
        off = this.#fillBody(chunk, off);
        if (this.#bodyFill < this.#bodyLength) return; // chunk exhausted
        const body = this.#takeBody();
        onPacket(this.#type, body);
        if (this.#dead) return;
        continue;
      }
      if (this.#headerFill === 0 && n - off >= PACKET_HEADER_LENGTH) {
        // Fast path: the whole header is in this chunk.
        const type = chunk[off];
        if (!isPacketType(type)) throw badType(type);
        const length = readBodyLength(chunk, off);
        if (length > this.#maxBodyLength) throw tooLarge(length, this.#maxBodyLength);
        off += PACKET_HEADER_LENGTH;
        if (n - off >= length) {
          const body = chunk.subarray(off, off + length);
          off += length;
          onPacket(type, body);
          if (this.#dead) return;
        } else {
          this.#startBody(type, length);
        }
        continue;
      }
      const b = chunk[off++];
      if (this.#headerFill === 0 && !isPacketType(b)) throw badType(b);
      this.#header[this.#headerFill++] = b;
      // Unknown length bytes read as 0: reject as soon as even the smallest possible length is too big.
      const length = readBodyLength(this.#header, 0);
      if (length > this.#maxBodyLength) {
        throw tooLarge(length, this.#maxBodyLength, this.#headerFill < PACKET_HEADER_LENGTH);
      }
      if (this.#headerFill < PACKET_HEADER_LENGTH) continue;
      const type = this.#header[0] as PacketType;
      this.#headerFill = 0;
      this.#header.fill(0); // the early length check above relies on unread bytes being 0
      if (length === 0) {
        onPacket(type, EMPTY);
        if (this.#dead) return;
      } else {
        this.#startBody(type, length);
      }
    }
  }

  #startBody(type: PacketType, length: number): void {
    this.#type = type;
    this.#bodyLength = length;
    this.#bodyFill = 0;
    if (length <= PREALLOCATE_LIMIT) this.#body = allocBytes(length); // filled before it is handed out
    else this.#pieces = [];
  }

  /** Copies what `chunk` holds of the pending body; returns the new offset. */
  #fillBody(chunk: Uint8Array, off: number): number {
    const take = Math.min(this.#bodyLength - this.#bodyFill, chunk.length - off);
    const part = chunk.subarray(off, off + take);
    if (this.#body !== null) this.#body.set(part, this.#bodyFill);
    else this.#pieces!.push(part.slice()); // copy: the caller may reuse its chunk buffer
    this.#bodyFill += take;
    return off + take;
  }

  #takeBody(): Uint8Array {
    let body = this.#body;
    if (body === null) {
      body = allocBytes(this.#bodyLength); // the pieces fill it
      let at = 0;
      for (const piece of this.#pieces!) {
        body.set(piece, at);
        at += piece.length;
      }
    }
    this.#body = null;
    this.#pieces = null;
    this.#bodyFill = 0;
    return body;
  }
}
