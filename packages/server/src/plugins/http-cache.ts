// HTTP caching for reads sent as GET (the SDK's persisted operations, for a CDN in front of hub
// sites): an ETag over the body without its per-caller extensions, `Cache-Control: public` for
// anonymous answers (private, revalidated, for a key's), and 304 for a matching If-None-Match.
// A 304 is free: what the request was charged is given back, as GitHub's conditional requests are.
import type { Plugin } from 'graphql-yoga';
import type { RateLimiter } from './rate-limit.ts';
import { requestState } from './request-state.ts';
import { answerEtag, etagOf } from './response-cache.ts';
import { copyHeaders } from './response-headers.ts';

export function useHttpCaching(maxAgeSeconds: number, limiter: RateLimiter): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200) return;
      if (new URL(request.url).pathname !== '/graphql') return;
      if (!/json/.test(response.headers.get('content-type') ?? '')) return;
      const headers = copyHeaders(fetchAPI, response.headers);
      // An answer of the response cache: its ETag is known, and its body (maybe compressed) is
      // sent as it is. Anything else is read to hash what every caller shares.
      let etag = answerEtag(request);
      let body: BodyInit | null = response.body;
      if (!etag) {
        const text = await response.text();
        body = text;
        let parsed: { errors?: unknown[]; extensions?: unknown; [key: string]: unknown };
        try {
          parsed = JSON.parse(text);
        } catch {
          setResponse(new fetchAPI.Response(text, { status: 200, headers }));
          return;
        }
        if (parsed.errors) {
          setResponse(new fetchAPI.Response(text, { status: 200, headers }));
          return;
        }
        const { extensions: _perCaller, ...shared } = parsed;
        etag = etagOf(JSON.stringify(shared));
      }
      const state = requestState(request);
      const anonymous = (state?.viewer?.role ?? 'ANONYMOUS') === 'ANONYMOUS';
      headers.set('etag', etag);
      headers.delete('last-modified');
      headers.set(
        'cache-control',
        anonymous
          ? `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds * 5}`
          : 'private, no-cache',
      );
      const asked = (request.headers.get('if-none-match') ?? '')
        .split(',')
        .map((t) => t.trim().replace(/^W\//, ''));
      if (asked.includes(etag) || asked.includes('*')) {
        if (state?.charged && state.viewer)
          await limiter.refund(state.viewer.role, state.caller, state.charged);
        headers.delete('content-length');
        headers.delete('content-type');
        headers.delete('content-encoding');
        if (state?.budget && state.charged) {
          headers.set(
            'ratelimit-remaining',
            String(Math.min(state.budget.limit, state.budget.remaining + state.charged)),
          );
        }
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      setResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}
