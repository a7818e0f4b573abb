// The worker's OpenTelemetry SDK, started from the standard OTEL_* environment variables.
export { startTracing, type Tracing } from './sdk.ts';
export { DEFAULT_SERVICE_NAME, samplerOf, tracesUrl, tracingSettings, type TracingSettings } from './settings.ts';
