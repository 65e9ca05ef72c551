// A cached body is the same for every caller up to its extensions, which differ per caller (their
// cost and budget). So the shared part is compressed once, when the answer is stored, and a hit
// adds its few bytes of extensions uncompressed: a gzip member is a DEFLATE stream, and a stream
// that ends in a full flush (byte-aligned, with no back-references across it) can be continued by
// any further blocks, here one stored block; the CRC-32 of the whole is the CRC-32 of the rest
// continued from the stored part's (RFC 1951 §3.2.3–4, RFC 1952 §2.3.1).
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * `bytes` as the final DEFLATE block, stored (uncompressed): a caller's extensions are a few
 * hundred bytes, not worth a compressor of their own (RFC 1951 §3.2.4: BFINAL=1, BTYPE=00, then
 * LEN and its complement, then the bytes; stored blocks hold at most 65,535).
 */
function storedBlocks(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at === 0 || at < bytes.length; at += 65_535) {
    const chunk = bytes.subarray(at, at + 65_535);
    const last = at + 65_535 >= bytes.length;
    const header = Buffer.alloc(5);
    header[0] = last ? 1 : 0;
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(header, chunk);
  }
  return Buffer.concat(parts);
}

export interface StoredGzip {
  /** The shared part as raw DEFLATE ending in a full flush, base64. */
  deflated: string;
  /** CRC-32 of the shared part's bytes. */
  crc: number;
  /** Its length in bytes. */
  length: number;
}

/** Bodies smaller than this are not worth compressing (plugins/compression.ts's own threshold). */
export const STORED_GZIP_MIN_BYTES = 1024;

export function storeGzip(shared: string): StoredGzip | undefined {
  const bytes = Buffer.from(shared);
  if (bytes.length < STORED_GZIP_MIN_BYTES) return undefined;
  const deflated = deflateRawSync(bytes, { level: 6, finishFlush: constants.Z_FULL_FLUSH });
  return { deflated: deflated.toString('base64'), crc: crc32(bytes), length: bytes.length };
}

/** A gzip member: 10-byte header (no name, no time, unknown OS), the stream, CRC-32 and size. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** The gzip body of `stored`'s bytes followed by `rest`, which is sent as it is (stored). */
export function gzipWith(stored: StoredGzip, rest: string): Buffer {
  const tail = Buffer.from(rest);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(tail, stored.crc) >>> 0, 0);
  trailer.writeUInt32LE((stored.length + tail.length) % 2 ** 32, 4);
  return Buffer.concat([HEADER, Buffer.from(stored.deflated, 'base64'), storedBlocks(tail), trailer]);
}
