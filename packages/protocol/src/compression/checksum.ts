/** Checksums fflate computes when writing but never verifies when reading. @internal */

const ADLER_MOD = 65521;
/** Largest run before the 32-bit sums could overflow (zlib's NMAX). */
const ADLER_NMAX = 5552;

/** Adler-32 (RFC 1950 trailer), unsigned. @internal */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + ADLER_NMAX, data.length);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

let crcTable: Int32Array | undefined;

function table(): Int32Array {
  if (crcTable) return crcTable;
  crcTable = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c;
  }
  return crcTable;
}

/** CRC-32 (gzip trailer), unsigned. @internal */
export function crc32(data: Uint8Array): number {
  const t = table();
  let c = -1;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
