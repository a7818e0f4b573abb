// Tracing is configured by the standard OpenTelemetry variables and is off unless an OTLP endpoint
// is named: a worker without a collector starts no SDK at all.
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';

export const DEFAULT_SERVICE_NAME = 'paystream-worker';

export interface TracingSettings {
  /** Where spans are POSTed (OTLP/HTTP, JSON): the traces endpoint as given, or the base endpoint + `/v1/traces`. */
  readonly url: string;
  readonly sampler: Sampler;
  /** How long a shutdown may wait for the last spans to be exported. */
  readonly flushTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** The traces endpoint named by the environment; undefined when tracing is off. */
export function tracesUrl(env: Env): string | undefined {
  if (set(env['OTEL_SDK_DISABLED'])?.toLowerCase() === 'true') return undefined;
  const exporters = set(env['OTEL_TRACES_EXPORTER'])?.toLowerCase();
  if (exporters !== undefined && !exporters.split(',').some((e) => e.trim() === 'otlp')) return undefined;
  const traces = set(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (traces !== undefined) return traces;
  const base = set(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** The sampling ratio of OTEL_TRACES_SAMPLER_ARG: a number from 0 to 1, else 1. */
function ratio(env: Env): number {
  const arg = Number(set(env['OTEL_TRACES_SAMPLER_ARG']) ?? '1');
  return Number.isFinite(arg) && arg >= 0 && arg <= 1 ? arg : 1;
}

/**
 * The sampler OTEL_TRACES_SAMPLER names (the specification's values); by default parent-based,
 * always on: an upstream service's decision is followed, a command without one is sampled.
 */
export function samplerOf(env: Env): Sampler {
  const name = set(env['OTEL_TRACES_SAMPLER'])?.toLowerCase() ?? 'parentbased_always_on';
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio(env));
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env)) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The settings the environment describes, or undefined when tracing is off. */
export function tracingSettings(env: Env): TracingSettings | undefined {
  const url = tracesUrl(env);
  if (url === undefined) return undefined;
  const timeout = Number(set(env['OTEL_BSP_EXPORT_TIMEOUT']) ?? '10000');
  return { url, sampler: samplerOf(env), flushTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 10_000 };
}
