import { Inflate, inflateSync, zlibSync } from 'fflate';
import { ProtocolError } from '../errors';
import { adler32, crc32 } from './checksum';

/** Default `maxOutputBytes` of {@link inflate}: 16 MiB, Pitaya's packet size. */
export const DEFAULT_MAX_INFLATE_BYTES = 16 * 1024 * 1024;

/** Deflate can expand at most ~1032x (258 bytes from 2 bits); used to size work before inflating. */
const MAX_RATIO = 1032;
const MIN_SLICE = 1024;
const MAX_SLICE = 64 * 1024;

/**
 * Pitaya's `IsCompressed` (Go client, libpitaya): a zlib header `78 9c|01|da|5e` or a gzip header
 * `1f 8b`, in more than 2 bytes. Used to sniff the handshake response, which has no flag.
 */
export function isCompressed(data: Uint8Array): boolean {
  if (data.length <= 2) return false;
  const a = data[0];
  const b = data[1];
  return (a === 0x78 && (b === 0x9c || b === 0x01 || b === 0xda || b === 0x5e)) || (a === 0x1f && b === 0x8b);
}

/** zlib (RFC 1950) at the default level, as Go's `DeflateData` (bytes differ, the content does not). */
export function deflate(data: Uint8Array): Uint8Array {
  return zlibSync(data);
}

/**
 * Inflates zlib or gzip (auto-detected) and verifies the checksum. Throws `BAD_COMPRESSED_DATA` on
 * anything else or corrupt data, `PAYLOAD_TOO_LARGE` as soon as the output passes `maxOutputBytes`
 * (it streams in bounded steps, so a zip bomb never allocates much more than the limit).
 */
export function inflate(data: Uint8Array, maxOutputBytes: number = DEFAULT_MAX_INFLATE_BYTES): Uint8Array {
  const gzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  const trailerLength = gzip ? 8 : 4;
  const start = gzip ? gzipHeaderLength(data) : zlibHeaderLength(data);
  if (data.length - trailerLength <= start) throw corrupt(`${gzip ? 'gzip' : 'zlib'} data is truncated`);
  const out = inflateRaw(data.subarray(start, data.length - trailerLength), maxOutputBytes);
  const end = data.length;
  if (gzip) {
    const crc = readUint32LE(data, end - 8);
    const size = readUint32LE(data, end - 4);
    if (size !== out.length % 0x100000000 || crc !== crc32(out)) throw corrupt('gzip checksum mismatch');
  } else {
    const adler = ((data[end - 4] << 24) | (data[end - 3] << 16) | (data[end - 2] << 8) | data[end - 1]) >>> 0;
    if (adler !== adler32(out)) throw corrupt('zlib checksum mismatch');
  }
  return out;
}

function inflateRaw(body: Uint8Array, max: number): Uint8Array {
  try {
    if (body.length * MAX_RATIO <= max) {
      // Even a worst-case stream stays within the limit: inflate in one call.
      const out = inflateSync(body);
      if (out.length > max) throw tooLarge(max);
      return out;
    }
    return inflateStreaming(body, max);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw corrupt(`invalid deflate data: ${(e as Error).message}`, e);
  }
}

/** Feeds slices sized so that one slice's worst case cannot overshoot the remaining budget by much. */
function inflateStreaming(body: Uint8Array, max: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > max) throw tooLarge(max);
    if (chunk.length > 0) chunks.push(chunk);
  });
  for (let at = 0; at < body.length; ) {
    const slice = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.floor((max - total) / MAX_RATIO)));
    const end = Math.min(body.length, at + slice);
    inflater.push(body.subarray(at, end), end === body.length);
    at = end;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function zlibHeaderLength(d: Uint8Array): number {
  if (d.length < 2) throw corrupt('zlib data is truncated');
  const cmf = d[0];
  const flg = d[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) {
    throw corrupt(`not zlib or gzip data (header ${hex(cmf)} ${hex(flg)})`);
  }
  if (flg & 0x20) throw corrupt('zlib data needs a preset dictionary');
  return 2;
}

function gzipHeaderLength(d: Uint8Array): number {
  if (d.length < 10 || d[2] !== 8) throw corrupt('gzip header is truncated or not deflate');
  const flg = d[3];
  if (flg & 0xe0) throw corrupt('gzip header has reserved flags set');
  let at = 10;
  if (flg & 0x04) {
    if (at + 2 > d.length) throw corrupt('gzip extra field is truncated');
    at += 2 + (d[at] | (d[at + 1] << 8));
  }
  for (const bit of [0x08, 0x10]) {
    if (!(flg & bit)) continue;
    while (at < d.length && d[at] !== 0) at++;
    at++; // the terminating zero
  }
  if (flg & 0x02) at += 2;
  if (at > d.length) throw corrupt('gzip header is truncated');
  return at;
}

function readUint32LE(d: Uint8Array, at: number): number {
  return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function corrupt(message: string, cause?: unknown): ProtocolError {
  return new ProtocolError('BAD_COMPRESSED_DATA', message, cause === undefined ? undefined : { cause });
}

function tooLarge(max: number): ProtocolError {
  return new ProtocolError('PAYLOAD_TOO_LARGE', `inflated payload exceeds the limit of ${max} bytes`);
}
