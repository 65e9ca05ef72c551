// Compresses responses above a small size, with brotli or gzip as the client accepts (node:zlib:
// Node 20's CompressionStream has no brotli). Never an event stream (it must flush as it goes),
// never what is already encoded, never a body too small to gain from it.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { negotiateEncoding } from '../static-files.ts';
import { copyHeaders } from './response-headers.ts';

/** Bodies smaller than this go as they are: the headers would cost more than the saving. */
export const COMPRESS_MIN_BYTES = 1024;
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const COMPRESSIBLE = /^(application\/(json|graphql-response\+json|javascript)|text\/)/;

export function useCompression(): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method === 'HEAD' || !response.body || response.headers.has('content-encoding')) return;
      const type = response.headers.get('content-type') ?? '';
      if (type.startsWith('text/event-stream') || !COMPRESSIBLE.test(type)) return;
      // The answer depends on Accept-Encoding whether or not this one is compressed (caches key on it).
      const headers = copyHeaders(fetchAPI, response.headers);
      headers.append('vary', 'accept-encoding');
      const declared = Number(response.headers.get('content-length'));
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      if (!encoding || (Number.isFinite(declared) && declared > 0 && declared < COMPRESS_MIN_BYTES)) {
        setResponse(new fetchAPI.Response(response.body, { status: response.status, headers }));
        return;
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length < COMPRESS_MIN_BYTES) {
        setResponse(new fetchAPI.Response(new Uint8Array(body), { status: response.status, headers }));
        return;
      }
      // A quality that is fast enough per request (brotli's default of 11 is for static files).
      const compressed =
        encoding === 'br'
          ? await brotli(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 4,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            })
          : await gzipAsync(body, { level: 6 });
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(compressed.length));
      setResponse(new fetchAPI.Response(new Uint8Array(compressed), { status: response.status, headers }));
    },
  };
}
