// OpenTelemetry spans for a request: the HTTP request (a SERVER span, continuing an incoming
// `traceparent` only when told to), graphql.parse, graphql.validate, graphql.execute (or
// graphql.subscribe), and one span per resolver of a query or mutation that waited on something.
// Database statements come from @prisma/instrumentation (tracing.ts registers it): they nest under
// the resolver that sent them, or under the request for work done before execution (the API-key
// lookup).
//
// Each phase runs inside Yoga's `instrumentation` wrappers, so its span is the active one for all
// the asynchronous work it starts: Prisma's spans and pino's log lines (logTraceFields) find it.
//
// Resolvers: every field with a resolver of its own is wrapped, once per schema (skipped: fields
// read off the parent by graphql's default resolver, and object ids); the wrapper does nothing
// outside a traced execution. A span is kept only when the resolver returned a promise (it waited
// on I/O: a query, a loader); one that answered at once leaves none (its span is never ended, so
// never exported). Resolver spans nest by GraphQL path (each Hub.stats under Query.hubs), not all
// directly under graphql.execute.
//
// The response carries the trace: `x-trace-id` (the trace id, as in the log lines) and
// `traceparent` (W3C form, the request span's id); `x-request-id` is left as caller.ts sets it.
import type { Context } from '@maths-hubs/schema';
import {
  context,
  createContextKey,
  type Context as OtelContext,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getOperationAST,
  isObjectType,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { requestState } from './request-state.ts';

export interface TracingPluginOptions {
  /**
   * Continue a trace the client started (its `traceparent` header). Off by default: a public
   * caller could otherwise choose trace ids and force or suppress sampling. Turn on behind a
   * proxy or gateway that starts the traces (as TRUST_PROXY trusts its X-Forwarded-For).
   */
  trustIncomingTraceContext?: boolean;
  /** Paths not traced (default: the health, readiness and metrics endpoints). */
  ignorePaths?: readonly string[];
}

const DEFAULT_IGNORED_PATHS = ['/healthz', '/readyz', '/metrics'];

/** Set in the context of a recording graphql.execute: resolvers under it make spans with it. */
const RESOLVER_TRACER = createContextKey('maths-hubs.resolver-tracer');

/** The span of each resolver call that was kept, by its GraphQL path (the object graphql passes). */
const resolverSpans = new WeakMap<GraphQLResolveInfo['path'], Span>();

/** The request span of each request, for its response headers. */
const requestSpans = new WeakMap<Request, Span>();

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

/** Runs `fn` with `span` active, ending the span when fn returns, throws, or settles. */
function runInSpan<T>(span: Span, parent: OtelContext, fn: () => T): T {
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn);
  } catch (error) {
    failed(span, error);
    span.end();
    throw error;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failed(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function pathString(path: GraphQLResolveInfo['path']): string {
  const keys: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = path; p; p = p.prev) keys.push(p.key);
  return keys.reverse().join('.');
}

/** The nearest enclosing resolver span that was kept, if any. */
function parentResolverSpan(path: GraphQLResolveInfo['path']): Span | undefined {
  for (let p = path.prev; p; p = p.prev) {
    const span = resolverSpans.get(p);
    if (span) return span;
  }
  return undefined;
}

/** Wraps a resolver: a span while it runs, inside a traced execution; nothing otherwise. */
function tracedResolver(
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return function tracedResolve(root, args, ctx, info) {
    const active = context.active();
    const tracer = active.getValue(RESOLVER_TRACER) as Tracer | undefined;
    if (!tracer) return resolve(root, args, ctx, info);
    const enclosing = parentResolverSpan(info.path);
    const parent = enclosing ? trace.setSpan(active, enclosing) : active;
    const span = tracer.startSpan(
      `${info.parentType.name}.${info.fieldName}`,
      {
        attributes: {
          'graphql.field.name': info.fieldName,
          'graphql.field.parent_type': info.parentType.name,
          'graphql.field.type': String(info.returnType),
        },
      },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    try {
      return context.with(spanContext, () => {
        const value = resolve(root, args, ctx, info);
        // Answered at once: no I/O waited on, no span kept (never ended, so never exported).
        if (!isThenable(value)) return value;
        resolverSpans.set(info.path, span);
        span.setAttribute('graphql.field.path', pathString(info.path));
        // Called here, inside the span: a PrismaPromise only sends its query once `then` is called.
        return value.then(
          (resolved) => {
            if (resolved instanceof Error) failed(span, resolved);
            span.end();
            return resolved;
          },
          (error: unknown) => {
            failed(span, error);
            span.end();
            throw error;
          },
        );
      });
    } catch (error) {
      failed(span, error);
      span.end();
      throw error;
    }
  };
}

const wrappedFields = new WeakSet<object>();

/** Global object ids (`id: ID!`): computed from the row, though Pothos' resolver is async. */
const isObjectId = (field: GraphQLField<unknown, unknown>) =>
  field.name === 'id' && String(field.type) === 'ID!';

/** Wraps, once, every field of the schema that has a resolver of its own (but object ids). */
function wrapResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (wrappedFields.has(field)) continue;
      wrappedFields.add(field);
      if (!field.resolve || field.resolve === defaultFieldResolver || isObjectId(field)) continue;
      field.resolve = tracedResolver(field.resolve);
    }
  }
}

/** Marks the active span (a phase's own, inside its instrumentation) with a result's errors. */
function markResultErrors(result: { errors?: readonly unknown[] }): void {
  const count = result.errors?.length ?? 0;
  if (count === 0) return;
  const span = trace.getActiveSpan();
  span?.setAttribute('graphql.error.count', count);
  span?.setStatus({ code: SpanStatusCode.ERROR });
}

/** A synchronous phase (parse, validate) in a span of its own. */
function syncPhase(tracer: Tracer, name: string) {
  return (_payload: unknown, wrapped: () => void): void => {
    const parent = context.active();
    if (trace.getSpan(parent)?.isRecording()) runInSpan(tracer.startSpan(name, {}, parent), parent, wrapped);
    else wrapped();
  };
}

/**
 * An asynchronous phase (execute, subscribe). Resolvers under a recorded execute get spans; not
 * under subscribe, whose events may go on for hours after its span ended.
 */
function asyncPhase(tracer: Tracer, name: string, traceResolvers: boolean) {
  return (_payload: unknown, wrapped: () => Promise<void> | void): Promise<void> | void => {
    const active = context.active();
    if (!trace.getSpan(active)?.isRecording()) return wrapped();
    const span = tracer.startSpan(name, {}, active);
    const parent = traceResolvers && span.isRecording() ? active.setValue(RESOLVER_TRACER, tracer) : active;
    return runInSpan(span, parent, wrapped);
  };
}

/** The Yoga plugin; `tracer` comes from a registered provider (tracing.ts). */
export function useTracing(tracer: Tracer, options: TracingPluginOptions = {}): Plugin<Context> {
  const ignored = new Set(options.ignorePaths ?? DEFAULT_IGNORED_PATHS);
  const trustIncoming = options.trustIncomingTraceContext ?? false;
  return {
    onSchemaChange({ schema }) {
      wrapResolvers(schema);
    },

    instrumentation: {
      request({ request }, wrapped) {
        const url = new URL(request.url, 'http://localhost');
        if (ignored.has(url.pathname)) return wrapped();
        const base = context.active();
        const parent = trustIncoming
          ? propagation.extract(base, request.headers, headerGetter)
          : trace.deleteSpan(base);
        const span = tracer.startSpan(
          `${request.method} ${url.pathname}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              'http.route': url.pathname,
              'url.path': url.pathname,
              'url.scheme': url.protocol.replace(/:$/, ''),
              'user_agent.original': request.headers.get('user-agent') ?? undefined,
            },
          },
          parent,
        );
        requestSpans.set(request, span);
        return runInSpan(span, parent, wrapped);
      },
      parse: syncPhase(tracer, 'graphql.parse'),
      validate: syncPhase(tracer, 'graphql.validate'),
      execute: asyncPhase(tracer, 'graphql.execute', true),
      subscribe: asyncPhase(tracer, 'graphql.subscribe', false),
    },

    onValidate() {
      return ({ result }) => markResultErrors({ errors: result });
    },

    onExecute({ args }) {
      const span = trace.getActiveSpan();
      if (span?.isRecording()) {
        const operation = getOperationAST(args.document, args.operationName);
        if (operation) {
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operation.name) span.setAttribute('graphql.operation.name', operation.name.value);
        }
      }
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) markResultErrors(result);
        },
      };
    },

    onResponse({ request, response }) {
      const span = requestSpans.get(request) ?? trace.getActiveSpan();
      if (!span) return;
      const { traceId, spanId, traceFlags } = span.spanContext();
      if (!trace.isSpanContextValid(span.spanContext())) return;
      response.headers.set('x-trace-id', traceId);
      response.headers.set(
        'traceparent',
        `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`,
      );
      if (!span.isRecording()) return;
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      const state = requestState(request);
      if (state) span.setAttribute('app.request_id', state.requestId);
      if (state?.viewer) span.setAttribute('app.caller.role', state.viewer.role);
    },
  };
}
