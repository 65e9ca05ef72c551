// createClient: typed requests to the Maths Hubs API from browsers, Node ≥ 20 and edge runtimes.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { type GraphQLErrorEntry, GraphQLRequestError, HttpError, NetworkError } from './errors.ts';
import { persistedHashes } from './generated/persisted.ts';

/** A typed document (from this SDK or your own codegen) or a plain GraphQL string. */
// biome-ignore lint/suspicious/noExplicitAny: variance of the decoration's phantom types
export type Document<TResult = any, TVariables = any> = DocumentTypeDecoration<TResult, TVariables> | string;
/** Assignable to a variables type exactly when none of its variables is required. */
export type AllOptional = Record<string, never>;
export type ResultOf<D> = D extends DocumentTypeDecoration<infer R, infer _V> ? R : unknown;
export type VariablesOf<D> =
  D extends DocumentTypeDecoration<infer _R, infer V> ? V : Record<string, unknown>;

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. "https://api.example.org/graphql". */
  url: string;
  /** An API key, sent as "Authorization: Bearer <key>". Leave out for public data. */
  apiKey?: string;
  /** A fetch implementation; defaults to the global one (browsers, Node ≥ 20, edge runtimes). */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** How many times to retry after HTTP 429 or 503 (honouring Retry-After). Default 2; 0 disables. */
  retries?: number;
  /** Send the SDK's own operations by hash instead of by text (the server must know them). */
  persistedOperations?: boolean;
}

export interface RequestOptions {
  /** Aborts the request (and any wait before a retry). */
  signal?: AbortSignal;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

const MAX_RETRY_WAIT_MS = 60_000;

/** Milliseconds to wait before a retry: Retry-After (seconds or a date) or exponential back-off. */
function retryDelay(response: Response, attempt: number): number {
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS);
  }
  return Math.min(250 * 2 ** attempt, MAX_RETRY_WAIT_MS);
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

const operationName = (text: string) => /\b(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1];

export function createBaseClient(options: ClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') throw new TypeError('No fetch available: pass `fetch` to createClient.');
  const retries = Math.max(0, Math.floor(options.retries ?? 2));

  /** The JSON body of an operation: a persisted one by its hash alone (the server has the text). */
  function operationBody(query: string, variables: unknown) {
    const name = operationName(query);
    const hash = options.persistedOperations && name ? persistedHashes[name] : undefined;
    return JSON.stringify(
      hash
        ? { operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
        : { query, operationName: name, variables },
    );
  }

  function headersFor(accept: string, requestOptions?: RequestOptions): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept,
      ...options.headers,
      ...requestOptions?.headers,
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
  }

  /**
   * Runs any operation. Resolves with `data`; throws GraphQLRequestError (keeping partial data),
   * HttpError or NetworkError. Mutations' `userErrors` come back as data.
   */
  async function request<D extends Document>(
    document: D,
    ...[variables, requestOptions]: AllOptional extends VariablesOf<D>
      ? [variables?: VariablesOf<D>, options?: RequestOptions]
      : [variables: VariablesOf<D>, options?: RequestOptions]
  ): Promise<ResultOf<D>> {
    const body = operationBody(String(document), variables ?? {});
    const headers = headersFor('application/graphql-response+json, application/json', requestOptions);

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers,
          body,
          signal: requestOptions?.signal,
        });
      } catch (error) {
        if ((error as Error)?.name === 'AbortError' || requestOptions?.signal?.aborted) throw error;
        throw new NetworkError(error);
      }
      if ((response.status === 429 || response.status === 503) && attempt < retries) {
        await response.body?.cancel().catch(() => {});
        await wait(retryDelay(response, attempt), requestOptions?.signal);
        continue;
      }
      const text = await response.text();
      let payload: GraphQLResponse<ResultOf<D>>;
      try {
        payload = JSON.parse(text) as GraphQLResponse<ResultOf<D>>;
      } catch {
        throw new HttpError(response.status, text);
      }
      if (payload.errors?.length)
        throw new GraphQLRequestError(payload.errors, payload.data ?? null, response.status);
      if (!response.ok || payload.data === undefined || payload.data === null)
        throw new HttpError(response.status, text);
      return payload.data;
    }
  }

  /**
   * Walks a connection page by page, yielding its nodes. `select` picks the connection out of a
   * response; the operation must take `$first` and `$after` variables.
   */
  async function* paginate<D extends Document, TNode>(
    document: D,
    variables: Omit<VariablesOf<D>, 'after'>,
    select: (
      data: ResultOf<D>,
    ) => { nodes: TNode[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } | null | undefined,
    requestOptions?: RequestOptions,
  ): AsyncGenerator<TNode, void, undefined> {
    let after: string | null = null;
    for (;;) {
      const data = await (request as (d: D, v: unknown, o?: RequestOptions) => Promise<ResultOf<D>>)(
        document,
        { ...variables, after },
        requestOptions,
      );
      const page = select(data);
      if (!page) return;
      yield* page.nodes;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }

  /**
   * Runs a subscription over Server-Sent Events, yielding each event's `data` until the server
   * completes the stream or the caller stops (`break`, `return()` or the signal), which closes
   * the connection at once, even while waiting for an event. Throws as `request` does; a stream
   * is not retried.
   */
  function subscribe<D extends Document>(
    document: D,
    variables: VariablesOf<D>,
    requestOptions?: RequestOptions,
  ): AsyncGenerator<ResultOf<D>, void, undefined> {
    const stop = new AbortController();
    const abort = () => stop.abort(requestOptions?.signal?.reason);
    requestOptions?.signal?.addEventListener('abort', abort, { once: true });
    const events = streamEvents<ResultOf<D>>(String(document), variables, stop.signal, requestOptions);
    const close = () => {
      requestOptions?.signal?.removeEventListener('abort', abort);
      stop.abort();
    };
    // A generator's own return() would wait for the pending read: abort first, then return.
    const subscription: AsyncGenerator<ResultOf<D>, void, undefined> = {
      next: () => events.next(),
      return: async (value) => {
        close();
        return events.return(value);
      },
      throw: async (error) => {
        close();
        return events.throw(error);
      },
      [Symbol.asyncIterator]() {
        return subscription;
      },
    } as AsyncGenerator<ResultOf<D>, void, undefined>;
    return subscription;
  }

  async function* streamEvents<T>(
    query: string,
    variables: unknown,
    signal: AbortSignal,
    requestOptions?: RequestOptions,
  ): AsyncGenerator<T, void, undefined> {
    const headers = headersFor('text/event-stream', requestOptions);
    let response: Response;
    try {
      response = await doFetch(options.url, {
        method: 'POST',
        headers,
        signal,
        body: operationBody(query, variables),
      });
    } catch (error) {
      if (signal.aborted) return;
      throw new NetworkError(error);
    }
    // Refusals of a stream (a spent budget, too many streams) come as events too, with a 4xx status.
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      const text = await response.text();
      let payload: GraphQLResponse<T> | undefined;
      try {
        payload = JSON.parse(text);
      } catch {}
      if (payload?.errors?.length) throw new GraphQLRequestError(payload.errors, null, response.status);
      throw new HttpError(response.status, text);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        throw new NetworkError(error);
      }
      if (chunk.done) return;
      buffer += chunk.value;
      // Events end with a blank line; "data:" lines carry the payload, ":" lines keep it alive.
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const event =
          lines
            .find((l) => l.startsWith('event:'))
            ?.slice(6)
            .trim() ?? 'message';
        const data = lines
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (event === 'complete') return;
        if (!data) continue;
        const payload = JSON.parse(data) as GraphQLResponse<T>;
        if (payload.errors?.length)
          throw new GraphQLRequestError(payload.errors, payload.data ?? null, response.status);
        if (payload.data) yield payload.data;
      }
    }
  }

  return { request, paginate, subscribe };
}
