// Subscriptions over Server-Sent Events, apart from the core client so that a page that does not
// follow live changes does not ship this.
import {
  type BaseClient,
  type ClientOptions,
  type Document,
  fetchOf,
  type GraphQLResponse,
  headersFor,
  operationBody,
  persistedHashOf,
  type RequestOptions,
  type ResultOf,
  type VariablesOf,
} from './client.ts';
import { GraphQLRequestError, HttpError, NetworkError } from './errors.ts';

/**
 * Runs a subscription over Server-Sent Events, yielding each event's `data` until the server
 * completes the stream or the caller stops (`break`, `return()` or the signal), which closes
 * the connection at once, even while waiting for an event. A stream the server ends on purpose
 * (its lifetime or an idle spell, saying `reopen`) is opened again at once, within the same
 * iteration. Throws as `request` does; a stream that fails is not retried.
 */
export function subscribe<D extends Document>(
  client: Pick<BaseClient, 'options'>,
  document: D,
  variables: VariablesOf<D>,
  requestOptions?: RequestOptions,
): AsyncGenerator<ResultOf<D>, void, undefined> {
  const stop = new AbortController();
  const abort = () => stop.abort(requestOptions?.signal?.reason);
  requestOptions?.signal?.addEventListener('abort', abort, { once: true });
  const { options } = client;
  const hash = options.persistedOperations ? persistedHashOf(document) : undefined;
  const body = operationBody(String(document), variables, hash);
  const events = streamEvents<ResultOf<D>>(options, body, stop.signal, requestOptions);
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
  options: ClientOptions,
  body: string,
  signal: AbortSignal,
  requestOptions?: RequestOptions,
): AsyncGenerator<T, void, undefined> {
  for (;;) {
    const reopen = yield* streamOnce<T>(options, body, signal, requestOptions);
    if (!reopen || signal.aborted) return;
  }
}

/** One stream's events; returns whether the server asked for it to be opened again. */
async function* streamOnce<T>(
  options: ClientOptions,
  body: string,
  signal: AbortSignal,
  requestOptions?: RequestOptions,
): AsyncGenerator<T, boolean, undefined> {
  let reopen = false;
  const headers = headersFor(options, 'text/event-stream', requestOptions);
  let response: Response;
  try {
    response = await fetchOf(options)(options.url, {
      method: 'POST',
      headers,
      signal,
      body,
    });
  } catch (error) {
    if (signal.aborted) return false;
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
      if (signal.aborted) return false;
      throw new NetworkError(error);
    }
    if (chunk.done) return reopen;
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
      if (event === 'complete') return reopen;
      if (!data) continue;
      const payload = JSON.parse(data) as GraphQLResponse<T>;
      if ((payload.extensions?.stream as { reopen?: unknown } | undefined)?.reopen === true) reopen = true;
      if (payload.errors?.length)
        throw new GraphQLRequestError(payload.errors, payload.data ?? null, response.status);
      if (payload.data) yield payload.data;
    }
  }
}
