// createClient: typed requests to the Maths Hubs API from browsers, Node ≥ 20 and edge runtimes.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { type GraphQLErrorEntry, GraphQLRequestError, HttpError, NetworkError } from './errors.ts';

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

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
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

/**
 * The hash a document is persisted under. Only the SDK's generated documents carry one (in
 * `__meta__.hash`, as graphql-codegen's persisted documents do), so a document of the caller's
 * own, whatever its name, always goes as its text.
 */
export function persistedHashOf(document: Document): string | undefined {
  const hash =
    typeof document === 'object' ? (document as { __meta__?: { hash?: unknown } }).__meta__?.hash : undefined;
  return typeof hash === 'string' ? hash : undefined;
}

/** The client without the shipped methods: `request` and `paginate` any document. */
export type BaseClient = ReturnType<typeof createBaseClient>;

/** The JSON body of an operation: by its hash alone when persisted (the server has the text). */
export function operationBody(query: string, variables: unknown, hash: string | undefined): string {
  const name = operationName(query);
  return JSON.stringify(
    hash
      ? { operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
      : { query, operationName: name, variables },
  );
}

export function headersFor(
  options: ClientOptions,
  accept: string,
  requestOptions?: RequestOptions,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept,
    ...options.headers,
    ...requestOptions?.headers,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
}

export function fetchOf(options: ClientOptions): typeof fetch {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function')
    throw new TypeError('No fetch available: pass `fetch` in the client options.');
  return doFetch;
}

/**
 * Creates the core client. Pair it with the documents a page needs
 * (`request(RecruitingCohortsDocument, { hubCode })`) and a bundler ships only those.
 */
export function createBaseClient(options: ClientOptions) {
  const doFetch = fetchOf(options);
  const retries = Math.max(0, Math.floor(options.retries ?? 2));

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
    let hash = options.persistedOperations ? persistedHashOf(document) : undefined;
    let body = operationBody(String(document), variables ?? {}, hash);
    const headers = headersFor(
      options,
      'application/graphql-response+json, application/json',
      requestOptions,
    );

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
      if (hash && payload.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
        // A server older than this SDK: send the text once instead (not counted as a retry).
        hash = undefined;
        body = operationBody(String(document), variables ?? {}, undefined);
        attempt--;
        continue;
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

  return { options, request, paginate };
}
