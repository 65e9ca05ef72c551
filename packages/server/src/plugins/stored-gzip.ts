// A cached body is the same for every caller up to its extensions, which differ per caller (their
// cost and budget). So the shared part is compressed once, when the answer is stored, and each hit
// only compresses its few bytes of extensions: a gzip member is a DEFLATE stream, and a stream that
// ends in a full flush (byte-aligned, with no back-references across it) can be continued by a
// fresh compressor's stream; the CRC-32 of the whole is the CRC-32 of the rest continued from the
// stored part's (RFC 1951 §3.2.3, RFC 1952 §2.3.1).
import { constants, crc32, deflateRawSync } from 'node:zlib';

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

/** The gzip body of `stored`'s bytes followed by `rest`, compressing only `rest`. */
export function gzipWith(stored: StoredGzip, rest: string): Buffer {
  const tail = Buffer.from(rest);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(tail, stored.crc) >>> 0, 0);
  trailer.writeUInt32LE((stored.length + tail.length) % 2 ** 32, 4);
  return Buffer.concat([HEADER, Buffer.from(stored.deflated, 'base64'), deflateRawSync(tail), trailer]);
}
