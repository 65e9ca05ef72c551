// What a client is told when something goes wrong: its own mistakes plainly, the database being
// away as 503 with Retry-After, a timeout as TIMEOUT, and anything unexpected as a masked error
// with a request id (the detail goes to the log, never to the client).
import type { Context } from '@maths-hubs/schema';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { requestState } from './request-state.ts';

/** Seconds a client is asked to wait while the database is unavailable. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

// Connection-level failures: refused, reset, the server shutting down or not yet accepting.
const UNAVAILABLE_CODES = new Set([
  'P1001', // Prisma: can't reach database server
  'P1017', // Prisma: server closed the connection
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'DatabaseNotReachable', // driver adapter error kinds
  'ConnectionClosed',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|ConnectionClosed|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down)/i;
const STATEMENT_TIMEOUT = '57014'; // query_canceled: statement_timeout

/** Every error in a chain of causes and wrappers (Prisma → driver adapter → pg). */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as Record<string, unknown>;
    yield e;
    if (e.meta && typeof e.meta === 'object') {
      const meta = e.meta as Record<string, unknown>;
      yield meta;
      // Prisma wraps the driver adapter's error (kind DatabaseNotReachable, …) here.
      if (meta.driverAdapterError && typeof meta.driverAdapterError === 'object')
        yield* chain(meta.driverAdapterError);
    }
    current = e.cause ?? e.originalError;
  }
}

function codesOf(e: Record<string, unknown>): unknown[] {
  const cause = e.cause as Record<string, unknown> | undefined;
  return [e.code, e.originalCode, e.kind, cause?.originalCode, cause?.code];
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (codesOf(e).some((code) => typeof code === 'string' && UNAVAILABLE_CODES.has(code))) return true;
    const message = [e.message, e.originalMessage].filter((m) => typeof m === 'string').join(' ');
    if (UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}

export function isStatementTimeout(error: unknown): boolean {
  for (const e of chain(error)) {
    if (codesOf(e).includes(STATEMENT_TIMEOUT)) return true;
    if (typeof e.message === 'string' && /statement timeout/i.test(e.message)) return true;
  }
  return false;
}

export function serviceUnavailable(requestId: string): GraphQLError {
  return new GraphQLError(
    `The database is unavailable just now. Try again in ${UNAVAILABLE_RETRY_SECONDS} seconds (request id ${requestId}).`,
    {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        requestId,
        http: { status: 503, headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) } },
      },
    },
  );
}

export function timedOut(requestId: string, what: string): GraphQLError {
  return new GraphQLError(
    `${what} Ask for less (smaller pages, fewer nested lists, narrower filters) and try again (request id ${requestId}).`,
    { extensions: { code: 'TIMEOUT', requestId, http: { status: 503, headers: { 'Retry-After': '1' } } } },
  );
}

function unexpected(requestId: string, status?: number): GraphQLError {
  return new GraphQLError(`Unexpected error. If you report it, quote request id ${requestId}.`, {
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      requestId,
      ...(status ? { http: { status } } : {}),
    },
  });
}

/** What a client sees for an error thrown while building the context or resolving a field. */
export function publicError(error: Error, requestId: string, logger: Logger): GraphQLError {
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, requestId }, 'database unavailable');
    return serviceUnavailable(requestId);
  }
  if (isStatementTimeout(error)) {
    logger.warn({ err: error, requestId }, 'statement timeout');
    return timedOut(requestId, 'A database statement of this request ran past its time limit.');
  }
  logger.error({ err: error, requestId }, 'unexpected error');
  return unexpected(requestId);
}

/** The caller's mistakes that Pothos reports (a forged cursor, a global ID of the wrong type). */
function pothosValidationHint(message: string): string {
  if (/cursor|base64/i.test(message))
    return `${message}. Pass a cursor from a previous page's pageInfo or edges.`;
  if (/global ID|ID: .* is not of type/i.test(message))
    return `${message}. Pass an ID as returned in an object's \`id\`, of the type the field expects.`;
  return `${message}.`;
}

/** The message for an error that is the caller's mistake, not ours; null for anything else. */
function callerMistake(error: Error): string | null {
  if (error.name === 'PothosValidationError') return pothosValidationHint(error.message);
  // A cursor that decodes to a value of the wrong type for the key (e.g. text for an integer id).
  if (error.name === 'PrismaClientValidationError' && /\bcursor: \{/.test(error.message))
    return pothosValidationHint('Invalid cursor');
  // A global ID naming a type this API does not have.
  if (error.name === 'PothosSchemaError' && /has not been implemented/.test(error.message))
    return pothosValidationHint('Invalid global ID: it names no type of this API');
  return null;
}

/** An error Yoga made from something thrown outside execution that was not a GraphQLError. */
function isUnexpected(error: GraphQLError): boolean {
  const original = error.originalError;
  if (error.extensions?.unexpected === true) return true;
  return !!original && original.name !== 'GraphQLError' && original.constructor !== GraphQLError;
}

/**
 * Replaces unexpected (non-GraphQL) errors with a generic one carrying the request id, and logs
 * them: those thrown while resolving (onExecuteDone), and those thrown by a plugin outside
 * execution, which Yoga would otherwise send as they are (onResultProcess). The latter are logged
 * once, at warning level.
 */
export function useErrorMasking(logger: Logger): Plugin<Context> {
  return {
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result) || Array.isArray(result)) return;
      const errors = (result as ExecutionResult).errors;
      if (!errors?.some(isUnexpected)) return;
      const state = requestState(request);
      const requestId = state?.requestId ?? 'unknown';
      setResult({
        ...(result as ExecutionResult),
        errors: errors.map((error) => {
          if (!isUnexpected(error)) return error;
          logger.warn(
            { err: error.originalError ?? error, requestId, client: state?.client.address },
            'unexpected error outside execution',
          );
          return unexpected(requestId, 500);
        }),
      });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const ctx = args.contextValue as Context;
          if (ctx.refusals?.length) {
            const refusals = ctx.refusals.map(
              (message) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } }),
            );
            result = { ...result, errors: [...(result.errors ?? []), ...refusals] };
            setResult(result);
          }
          if (!result.errors?.length) return;
          setResult({
            ...result,
            errors: result.errors.map((error) => {
              const original = error.originalError;
              // Exactly a GraphQLError passes as it is; its subclasses (Pothos's validation
              // errors) get a hint below. One copy of graphql is loaded (Node resolves its CommonJS
              // build for every importer; the bundle and the tests' config do the same).
              if (!original || original.constructor === GraphQLError) return error;
              const mistake = callerMistake(original);
              if (mistake) {
                return new GraphQLError(mistake, {
                  nodes: error.nodes,
                  path: error.path,
                  extensions: { code: 'BAD_USER_INPUT' },
                });
              }
              const masked = publicError(original, ctx.requestId, logger);
              return new GraphQLError(masked.message, {
                nodes: error.nodes,
                path: error.path,
                extensions: masked.extensions,
              });
            }),
          });
        },
      };
    },
  };
}

/** A body of a type no parser takes gets 415 saying which types are taken (Yoga's own has no body). */
export function useExplainedUnsupportedMediaType(): Plugin {
  return {
    onRequestParse({ request, requestParser, endResponse, fetchAPI }) {
      if (requestParser || request.method === 'GET') return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: `Content-Type ${request.headers.get('content-type') ?? '(none)'} is not accepted: send application/json (or application/graphql+json, multipart/form-data), or use GET for queries.`,
                extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
              },
            ],
          }),
          { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
  };
}
