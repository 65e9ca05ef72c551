// OpenTelemetry tracing, on only when an OTLP endpoint is configured.
//
// With OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, startTracing loads
// the SDK, registers a tracer provider (AsyncLocalStorage context, W3C propagators), Prisma's
// instrumentation (a span per client operation and per SQL statement, for both driver adapters)
// and returns the Yoga plugin (plugins/tracing.ts). Spans leave in batches by OTLP/HTTP
// (protobuf). Without it nothing is loaded or started: this module holds only the OpenTelemetry
// API, whose calls are no-ops until a provider is registered.
//
// The SDK reads the rest of its settings from the environment itself: OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS / _TIMEOUT / _COMPRESSION,
// OTEL_TRACES_SAMPLER / _ARG, OTEL_BSP_*. OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
// keep tracing off.
import type { Context } from '@maths-hubs/schema';
import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { Plugin } from 'graphql-yoga';
import type { TracingPluginOptions } from './plugins/tracing.ts';

export interface TracingOptions extends TracingPluginOptions {
  /** service.name, unless OTEL_SERVICE_NAME says otherwise (default "maths-hubs-api"). */
  serviceName?: string;
  /** Export here, span by span, instead of by OTLP (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Where OTEL_* are read to decide whether to start (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Tracing {
  /** The Yoga plugin that makes the request, phase and resolver spans. */
  plugin: Plugin<Context>;
  /** Exports what is pending, then unregisters everything startTracing registered. */
  shutdown(): Promise<void>;
}

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/** Whether the environment asks for traces to be exported by OTLP. */
export function otlpTracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (isTrue(env.OTEL_SDK_DISABLED)) return false;
  if (env.OTEL_TRACES_EXPORTER?.split(',').some((name) => name.trim() === 'none')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

let running = false;

/**
 * A CommonJS package's exports as a dynamic import gives them: named by Node and tsx, but only as
 * `default` from an esbuild bundle (`pnpm start`).
 */
function commonJs<T extends object>(module: T, name: string): T {
  return name in module ? module : (module as { default: T }).default;
}

/**
 * Starts tracing when an OTLP endpoint is configured or an exporter is given; null otherwise (and
 * then nothing at all is loaded). Once per process at a time: shut down before starting again.
 */
export async function startTracing(options: TracingOptions = {}): Promise<Tracing | null> {
  const { serviceName = 'maths-hubs-api', exporter, env = process.env, ...pluginOptions } = options;
  if (!exporter && !otlpTracingConfigured(env)) return null;
  if (running) throw new Error('Tracing is already started in this process; shut it down first.');
  running = true;
  try {
    const [sdk, resources, prisma, { useTracing }] = await Promise.all([
      import('@opentelemetry/sdk-trace-node').then((m) => commonJs(m, 'NodeTracerProvider')),
      import('@opentelemetry/resources').then((m) => commonJs(m, 'resourceFromAttributes')),
      import('@prisma/instrumentation').then((m) => commonJs(m, 'PrismaInstrumentation')),
      import('./plugins/tracing.ts'),
    ]);
    // Spans one by one to a given exporter; otherwise in batches by OTLP/HTTP (protobuf), which reads
    // its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*.
    let processor: InstanceType<typeof sdk.SimpleSpanProcessor | typeof sdk.BatchSpanProcessor>;
    if (exporter) processor = new sdk.SimpleSpanProcessor(exporter);
    else {
      const otlp = commonJs(await import('@opentelemetry/exporter-trace-otlp-proto'), 'OTLPTraceExporter');
      processor = new sdk.BatchSpanProcessor(new otlp.OTLPTraceExporter());
    }
    const provider = new sdk.NodeTracerProvider({
      // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) win over the default name.
      resource: resources
        .defaultResource()
        .merge(resources.resourceFromAttributes({ 'service.name': serviceName }))
        .merge(resources.detectResources({ detectors: [resources.envDetector] })),
      spanProcessors: [processor],
    });
    // Global: AsyncLocalStorage context manager, W3C trace-context and baggage propagators.
    provider.register();
    // Prisma's client asks a global tracing helper on every operation, so clients created before
    // this point are traced too.
    const unregisterInstrumentations = prisma.registerInstrumentations({
      tracerProvider: provider,
      // Each statement and operation, without the client's own serialise and compile steps: they
      // double the spans of a request and say nothing an operator acts on.
      instrumentations: [
        new prisma.PrismaInstrumentation({
          ignoreSpanTypes: ['prisma:client:serialize', 'prisma:client:compile'],
        }),
      ],
    });
    let stopped: Promise<void> | undefined;
    return {
      plugin: useTracing(provider.getTracer('@maths-hubs/server'), pluginOptions),
      shutdown() {
        stopped ??= (async () => {
          unregisterInstrumentations();
          try {
            await provider.shutdown();
          } finally {
            trace.disable();
            context.disable();
            propagation.disable();
            running = false;
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    running = false;
    throw error;
  }
}

/**
 * The active span's ids, for pino's `mixin`: every line logged while a request is traced carries
 * its trace_id and span_id (the names of OpenTelemetry's log data model). Empty when not tracing.
 * A new object each call: pino merges the line's own fields into it.
 */
export function logTraceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}
