// Who is calling, decided once per request before anything else runs: the API key is checked
// (a revoked key is refused even for an operation a cache could answer), the rate-limit key is
// chosen, and a request id is given. The context and every later plugin read it from here.
import { randomUUID } from 'node:crypto';
import type { Context, Viewer } from '@maths-hubs/schema';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { ClientResolver } from '../client-address.ts';
import { type ContextDeps, resolveViewer } from '../context.ts';
import type { Logger } from '../logger.ts';
import { publicError } from './errors.ts';
import { type RequestState, requestState, setRequestState } from './request-state.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request id a client sent (if it is safe to echo); else the request's trace id when it is
 * traced, so that a log line, a response and a trace are found by one id; else a new one.
 */
export function requestIdOf(request: Request): string {
  const given = request.headers.get('x-request-id');
  if (given && REQUEST_ID.test(given)) return given;
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : randomUUID();
}

/** The state of a request, created on first sight (any route: GraphQL, CSV, health). */
export function stateOf(request: Request, serverContext: unknown, clientOf: ClientResolver): RequestState {
  let state = requestState(request);
  if (!state) {
    const client = clientOf(request, serverContext);
    state = {
      requestId: requestIdOf(request),
      viewer: undefined,
      caller: `ip:${client.key}`,
      client,
      cost: undefined,
      budget: undefined,
    };
    setRequestState(request, state);
  }
  return state;
}

/** Records who is calling and charges their budget by key, not by address, once they have one. */
export function identifyCaller(state: RequestState, viewer: Viewer): void {
  state.viewer = viewer;
  if (viewer.apiKeyId !== null) state.caller = `key:${viewer.apiKeyId}`;
  else if (viewer.role !== 'ANONYMOUS') state.caller = 'admin-env';
}

export function useCaller(deps: ContextDeps, logger: Logger, clientOf: ClientResolver): Plugin<Context> {
  return {
    onRequest({ request, serverContext }) {
      stateOf(request, serverContext, clientOf);
    },
    async onParams({ request, context, setResult }) {
      const state = stateOf(request, context, clientOf);
      if (state.refused) return; // malformed (useRequestShape): its key is not even looked up
      try {
        identifyCaller(state, await resolveViewer(request.headers.get('authorization'), deps));
      } catch (error) {
        const e = error as Error;
        state.refused = true;
        setResult({
          errors: [e.name === 'GraphQLError' ? (e as never) : publicError(e, state.requestId, logger)],
        });
      }
    },
    onResponse({ request, response }) {
      const state = requestState(request);
      if (state) response.headers.set('x-request-id', state.requestId);
    },
  };
}
