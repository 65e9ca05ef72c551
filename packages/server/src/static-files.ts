// Files the server answers with from memory (GraphiQL's assets, the embed script, the example
// dashboard): compressed once per encoding on first use, with an ETag for revalidation.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface StaticFile {
  type: string;
  body: Buffer;
  /** SHA-256 of the body, hex: the ETag, and GraphiQL's file names. */
  digest: string;
  etag: string;
  encoded: Map<'br' | 'gzip', Buffer>;
}

export function staticFile(type: string, body: Buffer): StaticFile {
  const digest = createHash('sha256').update(body).digest('hex');
  return { type, body, digest, etag: `"${digest.slice(0, 32)}"`, encoded: new Map() };
}

/** The encoding to answer with, from Accept-Encoding (brotli preferred), or null. */
/** How much a client wants each content coding (its Accept-Encoding q-values; 0: refused). */
export function encodingWeight(acceptEncoding: string | null): (coding: string) => number {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  return (coding) => accepted.get(coding) ?? accepted.get('*') ?? 0;
}

export function negotiateEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
  const weight = encodingWeight(acceptEncoding);
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/** The response for a GET or HEAD of `file`: 304 when the client's copy is current. */
export function fileResponse(
  request: Request,
  file: StaticFile,
  headers: Record<string, string>,
  ResponseClass: typeof Response = Response,
): Response {
  const common = { etag: file.etag, vary: 'accept-encoding', ...headers };
  if (
    request.headers
      .get('if-none-match')
      ?.split(/\s*,\s*/)
      .includes(file.etag)
  )
    return new ResponseClass(null, { status: 304, headers: common });
  const encoding = file.type.startsWith('image/')
    ? null
    : negotiateEncoding(request.headers.get('accept-encoding'));
  let body = file.body;
  if (encoding) {
    let encoded = file.encoded.get(encoding);
    if (!encoded) {
      encoded =
        encoding === 'br'
          ? brotliCompressSync(file.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
          : gzipSync(file.body, { level: 9 });
      file.encoded.set(encoding, encoded);
    }
    body = encoded;
  }
  return new ResponseClass(request.method === 'HEAD' ? null : new Uint8Array(body), {
    headers: {
      'content-type': file.type,
      'content-length': String(body.length),
      ...(encoding ? { 'content-encoding': encoding } : {}),
      ...common,
    },
  });
}
