// The OpenTelemetry SDK of the worker process, the composition root: the libraries (core, runtime)
// use `@opentelemetry/api` only. Started before the worker, it registers the async-local context
// manager (spans follow the awaits of a command), a tracer provider exporting OTLP/HTTP in batches,
// and tells the libraries to trace. Shutdown flushes what is left, bounded.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
  serviceNameEnvDetector,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { enableTracing } from '@paystream/core';
import { DEFAULT_SERVICE_NAME, tracingSettings } from './settings.ts';

export interface Tracing {
  /** Whether spans are exported. */
  readonly on: boolean;
  /** Exports the spans still buffered, then stops tracing; never rejects. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { on: false, shutdown: () => Promise.resolve() };

/** Starts tracing as the environment says; with no OTLP endpoint, nothing is started. */
export function startTracing(env: Readonly<Record<string, string | undefined>> = process.env, warn?: (message: string) => void): Tracing {
  const settings = tracingSettings(env);
  if (settings === undefined) return OFF;
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector, serviceNameEnvDetector] }));
  const exporter = new OTLPTraceExporter({ url: settings.url });
  const provider = new TracerProvider({
    resource,
    sampler: settings.sampler,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1_000 })],
  });
  trace.setGlobalTracerProvider(provider);
  enableTracing(true);
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    enableTracing(false);
    const flush = provider.shutdown();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), settings.flushTimeoutMs).unref());
    const ended = await Promise.race([flush.then(() => 'flushed' as const), timeout]).catch(() => 'failed' as const);
    // Spans are an aid, never a reason to hang or fail a shutdown.
    if (ended !== 'flushed') warn?.(`traces not flushed at shutdown (${ended})`);
    trace.disable();
    context.disable();
  };
  // Once: a second call waits for the first.
  return { on: true, shutdown: () => (stopping ??= stop()) };
}
