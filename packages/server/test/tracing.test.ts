// Traces: a request's spans (HTTP, parse, validate, execute, resolvers, Prisma's SQL) share one
// trace, nest sensibly, and the response and the log lines carry its id. Off without an endpoint.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Context } from '@maths-hubs/schema';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTracing } from '../src/plugins/tracing.ts';
import { logTraceFields, otlpTracingConfigured, startTracing, type Tracing } from '../src/tracing.ts';
import { type TestApi, testApi } from './helpers/api.ts';

const QUERY =
  '{ hubs(first: 2) { nodes { id code stats { cohorts } cohorts(first: 1) { nodes { code } } } } }';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** Whether `span` descends from `ancestor` among `spans`. */
function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, spans: ReadableSpan[]): boolean {
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  for (let p = parentOf(span); p; p = byId.get(p) && parentOf(byId.get(p)!)) {
    if (p === idOf(ancestor)) return true;
  }
  return false;
}

describe('tracing off', () => {
  it('starts nothing without an exporter or an OTLP endpoint', async () => {
    expect(await startTracing({ env: {} })).toBeNull();
    expect(
      await startTracing({
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' },
      }),
    ).toBeNull();
    expect(
      await startTracing({
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' },
      }),
    ).toBeNull();
    expect(otlpTracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(otlpTracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(
      true,
    );
    // Nothing registered: the API's no-op tracer, and no trace fields in log lines.
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(false);
    expect(logTraceFields()).toEqual({});
  });
});

describe('tracing to an in-memory exporter', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let api: TestApi;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    tracing = (await startTracing({ exporter }))!;
    expect(tracing).not.toBeNull();
    // A logger as logger.ts would make it, and a plugin that logs during execution.
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'info', mixin: logTraceFields }, sink);
    const logDuringExecution: Plugin<Context> = {
      onExecute() {
        logger.info('executing');
      },
    };
    api = await testApi({ plugins: [tracing.plugin, logDuringExecution] });
  });

  afterAll(async () => {
    await api?.close();
    await tracing?.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    logged.length = 0;
  });

  it('traces the request, its phases, its resolvers and its SQL in one trace', async () => {
    const response = await api.gql(QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data.hubs.nodes).toHaveLength(2);
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.filter((s) => s.name === name);

    const [request] = named('POST /graphql');
    expect(request, spans.map((s) => s.name).join(', ')).toBeDefined();
    const traceId = request!.spanContext().traceId;
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    expect(parentOf(request!)).toBeUndefined(); // a root: no client-chosen parent
    expect(request!.attributes['http.response.status_code']).toBe(200);

    // The response carries the trace; without an id of the client's, the request id is the trace id.
    expect(response.headers.get('x-trace-id')).toBe(traceId);
    expect(response.headers.get('traceparent')).toBe(`00-${traceId}-${idOf(request!)}-01`);
    expect(response.headers.get('x-request-id')).toBe(traceId);
    expect(request!.attributes['app.request_id']).toBe(response.headers.get('x-request-id'));

    for (const phase of ['graphql.parse', 'graphql.validate', 'graphql.execute']) {
      expect(named(phase), phase).toHaveLength(1);
      expect(parentOf(named(phase)[0]!), phase).toBe(idOf(request!));
    }
    const execute = named('graphql.execute')[0]!;
    expect(execute.attributes['graphql.operation.type']).toBe('query');

    // Resolvers that waited on something: Query.hubs under execute, each Hub.stats under Query.hubs.
    const hubs = named('Query.hubs');
    expect(hubs).toHaveLength(1);
    expect(parentOf(hubs[0]!)).toBe(idOf(execute));
    expect(hubs[0]!.attributes['graphql.field.path']).toBe('hubs');
    const stats = named('Hub.stats');
    expect(stats.map((s) => s.attributes['graphql.field.path']).sort()).toEqual([
      'hubs.nodes.0.stats',
      'hubs.nodes.1.stats',
    ]);
    for (const s of stats) expect(parentOf(s)).toBe(idOf(hubs[0]!));
    // No span for fields read off their parent (Hub.code), object ids, or answers at hand
    // (Hub.cohorts: joined into the hubs' query).
    expect(named('Hub.code')).toHaveLength(0);
    expect(named('Hub.id')).toHaveLength(0);
    expect(named('Hub.cohorts')).toHaveLength(0);

    // Prisma's spans: the hub query runs inside Query.hubs; every statement descends from the request.
    const statements = named('prisma:client:db_query');
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.attributes['db.query.text']).toEqual(expect.any(String));
      expect(descendsFrom(statement, request!, spans)).toBe(true);
    }
    expect(statements.some((s) => descendsFrom(s, hubs[0]!, spans))).toBe(true);
    // The client's own serialise and compile steps are left out: they only double the spans.
    expect(named('prisma:client:serialize')).toHaveLength(0);
    expect(named('prisma:client:compile')).toHaveLength(0);
    expect(named('prisma:client:operation').length).toBeGreaterThan(0);

    // A line logged during the request carries the trace.
    const line = logged.find((l) => l.msg === 'executing');
    expect(line?.trace_id).toBe(traceId);
    expect(line?.span_id).toBe(idOf(execute));
  });

  it('traces the API-key lookup under the request, outside any GraphQL phase', async () => {
    const response = await api.gql('{ viewer { role } }', {}, 'analyst');
    expect(response.data.viewer.role).toBe('ANALYST');
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /graphql')!;
    const execute = spans.find((s) => s.name === 'graphql.execute')!;
    const lookup = spans.filter(
      (s) => s.name === 'prisma:client:db_query' && String(s.attributes['db.query.text']).includes('api_key'),
    );
    expect(lookup).toHaveLength(1);
    expect(descendsFrom(lookup[0]!, request, spans)).toBe(true);
    expect(descendsFrom(lookup[0]!, execute, spans)).toBe(false);
    expect(request.attributes['app.caller.role']).toBe('ANALYST');
  });

  it('starts a new trace even when the client sends a traceparent (not trusted by default)', async () => {
    const clientTrace = '0af7651916cd43dd8448eb211c80319c';
    const response = await api.gql(QUERY, {}, 'anonymous', {
      traceparent: `00-${clientTrace}-b7ad6b7169203331-01`,
      'x-request-id': 'client-id-1',
    });
    const request = exporter.getFinishedSpans().find((s) => s.name === 'POST /graphql')!;
    expect(request.spanContext().traceId).not.toBe(clientTrace);
    expect(response.headers.get('x-trace-id')).toBe(request.spanContext().traceId);
    expect(response.headers.get('x-request-id')).toBe('client-id-1');
  });

  it("continues a client's trace when told to trust it", async () => {
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { ok: Boolean }',
        resolvers: { Query: { ok: async () => true } },
      }),
      plugins: [useTracing(trace.getTracer('test'), { trustIncomingTraceContext: true })],
    });
    const clientTrace = '0af7651916cd43dd8448eb211c80319c';
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${clientTrace}-b7ad6b7169203331-01` },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(await response.json()).toEqual({ data: { ok: true } });
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /graphql')!;
    expect(request.spanContext().traceId).toBe(clientTrace);
    expect(parentOf(request)).toBe('b7ad6b7169203331');
    expect(response.headers.get('x-trace-id')).toBe(clientTrace);
    expect(spans.find((s) => s.name === 'Query.ok')).toBeDefined();
  });

  it('leaves health checks untraced', async () => {
    const response = await api.app.fetch('http://localhost/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-trace-id')).toBeNull();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('refuses a second start while one is running', async () => {
    await expect(startTracing({ exporter: new InMemorySpanExporter() })).rejects.toThrow(/already started/);
  });
});

describe('tracing by OTLP/HTTP', () => {
  let received: { path: string; type: string | undefined; body: Buffer }[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    received = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          type: req.headers['content-type'],
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${port}`);
    vi.stubEnv('OTEL_SERVICE_NAME', 'maths-hubs-api-test');
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });

  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => close());

  it('exports when OTEL_EXPORTER_OTLP_ENDPOINT is set, and unregisters on shutdown', async () => {
    const tracing = await startTracing();
    expect(tracing).not.toBeNull();
    const span = trace.getTracer('test').startSpan('exported-span');
    expect(span.isRecording()).toBe(true);
    span.end();
    await tracing!.shutdown(); // flushes the batch
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/v1/traces');
    expect(received[0]!.type).toBe('application/x-protobuf');
    expect(received[0]!.body.includes('exported-span')).toBe(true);
    expect(received[0]!.body.includes('maths-hubs-api-test')).toBe(true);
    // Everything global is gone again: other tests in this worker see the no-op API.
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(false);
    const outside = trace.getTracer('t').startSpan('y');
    expect(
      context.with(trace.setSpan(context.active(), outside), () => trace.getActiveSpan()),
    ).toBeUndefined();
  });
});
