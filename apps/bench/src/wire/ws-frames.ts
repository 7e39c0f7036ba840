import { createHash } from 'node:crypto';

/**
 * The generator's own WebSocket client side (RFC 6455), written on raw `net` sockets so the load
 * generator spends its core on requests rather than on the `ws` client's per-message machinery:
 * requests are pre-framed and pre-masked once, responses are scanned in place.
 */

/** A fixed, non-zero masking key: servers unmask exactly as for a random key, and request frames can be masked once up front. */
export const CLIENT_MASK: Readonly<Uint8Array> = Uint8Array.of(0x5a, 0xa5, 0x3c, 0xc3);

/** The RFC 6455 §1.3 sample key: any 16-byte base64 value is valid, a fixed one makes the expected accept a constant. */
const CLIENT_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const EXPECTED_ACCEPT = createHash('sha1').update(`${CLIENT_KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

/** The opening handshake's request. */
export function upgradeRequest(host: string, port: number, path = '/'): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${CLIENT_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    'latin1',
  );
}

/** Upper bound of the server's handshake response: a server sending more is not one we bench. */
const MAX_UPGRADE_RESPONSE = 8192;

/**
 * Reads the server's `101 Switching Protocols` response from the first bytes of the stream.
 * Returns `undefined` while the header is incomplete, or the bytes that follow it (the first frames).
 * Throws on anything but a 101 with the expected `Sec-WebSocket-Accept`.
 */
export function readUpgradeResponse(head: Buffer): Buffer | undefined {
  const end = head.indexOf('\r\n\r\n', 0, 'latin1');
  if (end < 0) {
    if (head.length > MAX_UPGRADE_RESPONSE) throw new Error('WebSocket upgrade response header too long');
    return undefined;
  }
  const text = head.toString('latin1', 0, end);
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (!status || status[1] !== '101') throw new Error(`WebSocket upgrade refused: ${text.split('\r\n')[0]}`);
  const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(text);
  if (!accept || accept[1] !== EXPECTED_ACCEPT) throw new Error('WebSocket upgrade: wrong Sec-WebSocket-Accept');
  return head.subarray(end + 4);
}

/** Header bytes of a masked client frame carrying `length` payload bytes. */
export function clientHeaderLength(length: number): number {
  return (length < 126 ? 2 : length < 0x10000 ? 4 : 10) + 4;
}

/**
 * Writes a FIN frame header with the mask bit and {@link CLIENT_MASK} at `offset`; returns where the
 * payload starts. The caller masks the payload with {@link maskInto}.
 */
export function writeClientHeader(target: Uint8Array, offset: number, opcode: number, length: number): number {
  let at = offset;
  target[at++] = 0x80 | opcode;
  if (length < 126) {
    target[at++] = 0x80 | length;
  } else if (length < 0x10000) {
    target[at++] = 0x80 | 126;
    target[at++] = length >>> 8;
    target[at++] = length & 0xff;
  } else {
    target[at++] = 0x80 | 127;
    target[at++] = 0;
    target[at++] = 0;
    target[at++] = 0;
    target[at++] = 0;
    target[at++] = (length >>> 24) & 0xff;
    target[at++] = (length >>> 16) & 0xff;
    target[at++] = (length >>> 8) & 0xff;
    target[at++] = length & 0xff;
  }
  target.set(CLIENT_MASK, at);
  return at + 4;
}

/** Copies `payload` into `target` at `offset`, masked with {@link CLIENT_MASK} (mask index counts from the payload's start). */
export function maskInto(target: Uint8Array, offset: number, payload: Uint8Array): void {
  for (let i = 0; i < payload.length; i++) target[offset + i] = payload[i]! ^ CLIENT_MASK[i & 3]!;
}

/** One masked client frame (binary by default) holding `payload`. */
export function encodeClientFrame(payload: Uint8Array, opcode = 0x2): Buffer {
  const out = Buffer.allocUnsafe(clientHeaderLength(payload.length) + payload.length);
  maskInto(out, writeClientHeader(out, 0, opcode, payload.length), payload);
  return out;
}

/** What {@link ServerFrameReader} reports. */
export interface FrameHandler {
  /** A whole data message (fragments joined). A view: valid only during the call. */
  onMessage(payload: Uint8Array): void;
  /** A ping: answer with a pong carrying `payload`. */
  onPing(payload: Uint8Array): void;
  /** The server's close frame. */
  onClose(): void;
}

/** A message above this is an error: the bench never sends one, so it cannot be ours. */
export const MAX_SERVER_MESSAGE = 1 << 20;

/**
 * Incremental reader of server → client frames (unmasked, RFC 6455 §5.1). Frames wholly inside a
 * chunk are delivered as views (no copy); a frame split across reads is held until complete;
 * fragmented messages are joined. Every buffer is bounded by {@link MAX_SERVER_MESSAGE}. Throws on a
 * masked server frame, a reserved opcode, an oversized or fragmented control frame.
 */
export class ServerFrameReader {
  private pending: Buffer | undefined;
  private fragments: Buffer[] | undefined;
  private fragmentBytes = 0;
  private dead = false;

  constructor(private readonly handler: FrameHandler) {}

  /** Bytes held for an incomplete frame or message. */
  get bufferedBytes(): number {
    return (this.pending?.length ?? 0) + this.fragmentBytes;
  }

  /** Feeds one read; calls the handler for every complete frame, in order. */
  push(chunk: Buffer): void {
    if (this.dead) return;
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    try {
      const rest = this.scan(data);
      if (rest < data.length && !this.dead) {
        if (data.length - rest > MAX_SERVER_MESSAGE + 14) throw new Error('WebSocket frame too large');
        // A copy: `data` may be a view of a larger read buffer we should not pin.
        this.pending = Buffer.from(data.subarray(rest));
      }
    } catch (error) {
      this.dead = true;
      this.pending = undefined;
      this.fragments = undefined;
      throw error;
    }
  }

  /** Parses complete frames; returns the offset of the first incomplete one. */
  private scan(data: Buffer): number {
    const n = data.length;
    let off = 0;
    while (n - off >= 2 && !this.dead) {
      const b0 = data[off]!;
      const b1 = data[off + 1]!;
      if (b1 & 0x80) throw new Error('masked frame from the server');
      if (b0 & 0x70) throw new Error('reserved bits set (no extension was negotiated)');
      let length = b1 & 0x7f;
      let at = off + 2;
      if (length === 126) {
        if (n - at < 2) return off;
        length = (data[at]! << 8) | data[at + 1]!;
        at += 2;
      } else if (length === 127) {
        if (n - at < 8) return off;
        const high = data.readUInt32BE(at);
        if (high !== 0) throw new Error('WebSocket frame too large');
        length = data.readUInt32BE(at + 4);
        at += 8;
      }
      if (length > MAX_SERVER_MESSAGE) throw new Error('WebSocket frame too large');
      if (n - at < length) return off;
      const payload = data.subarray(at, at + length);
      off = at + length;
      this.frame(b0 & 0x80, b0 & 0x0f, payload);
    }
    return off;
  }

  private frame(fin: number, opcode: number, payload: Buffer): void {
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) throw new Error('invalid control frame');
      if (opcode === 0x8) {
        this.dead = true;
        this.handler.onClose();
      } else if (opcode === 0x9) {
        this.handler.onPing(payload);
      } else if (opcode !== 0xa) {
        throw new Error(`reserved opcode ${opcode}`);
      }
      return;
    }
    if (opcode === 0x0) {
      if (!this.fragments) throw new Error('continuation frame without a message');
    } else if (opcode === 0x1 || opcode === 0x2) {
      if (this.fragments) throw new Error('new message inside a fragmented one');
      if (fin) {
        this.handler.onMessage(payload);
        return;
      }
      this.fragments = [];
    } else {
      throw new Error(`reserved opcode ${opcode}`);
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_SERVER_MESSAGE) throw new Error('WebSocket message too large');
    this.fragments.push(Buffer.from(payload));
    if (!fin) return;
    const whole = Buffer.concat(this.fragments, this.fragmentBytes);
    this.fragments = undefined;
    this.fragmentBytes = 0;
    this.handler.onMessage(whole);
  }
}
