// What the widgets and the dashboard share about talking to the API: where it is, and why a
// request failed, as a person reading the page needs to know it.
import { GraphQLRequestError, HttpError, NetworkError } from '@maths-hubs/sdk';

/**
 * The GraphQL endpoint for an API address someone gave (an origin, or a URL ending in /graphql),
 * resolved against `base`; `fallback` when none was given, it is not a URL, or not http(s).
 */
export function graphqlEndpoint(asked: string | null | undefined, base: string, fallback: string): string {
  let url = new URL(fallback);
  const given = asked?.trim();
  if (given) {
    let candidate: URL | null = null;
    try {
      candidate = new URL(given, base); // not URL.canParse: Safari has it only from 17
    } catch {}
    if (candidate?.protocol === 'http:' || candidate?.protocol === 'https:') url = candidate;
  }
  if (!/\/graphql\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, '')}/graphql`;
  url.search = '';
  url.hash = '';
  return url.href;
}

export type FailureKind = 'unauthenticated' | 'forbidden' | 'rate-limited' | 'unavailable' | 'other';

/** Why a request failed: a key refused or not enough, too many requests, no service, or else. */
export function failureKind(error: unknown): FailureKind {
  const code = error instanceof GraphQLRequestError ? error.code : undefined;
  const status = error instanceof HttpError || error instanceof GraphQLRequestError ? error.status : 0;
  if (code === 'UNAUTHENTICATED' || status === 401) return 'unauthenticated';
  if (code === 'FORBIDDEN' || status === 403) return 'forbidden';
  if (code === 'RATE_LIMITED' || status === 429) return 'rate-limited';
  if (error instanceof NetworkError || status === 502 || status === 503 || status === 504)
    return 'unavailable';
  return 'other';
}
