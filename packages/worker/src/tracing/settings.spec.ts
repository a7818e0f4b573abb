import { describe, expect, it } from 'vitest';
import { samplerOf, tracesUrl, tracingSettings } from './settings.ts';

describe('tracing settings from OTEL_* variables', () => {
  it('are off without an endpoint, or when the SDK or the OTLP exporter is switched off', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('post to the base endpoint + /v1/traces, or to the traces endpoint as given', () => {
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces');
    expect(
      tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/otlp/spans' }),
    ).toBe('https://t.example/otlp/spans');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'console,otlp' })).toBe(
      'http://c:4318/v1/traces',
    );
  });

  it('follow the upstream sampling decision by default', () => {
    expect(samplerOf({}).toString()).toMatch(/ParentBased\{root=AlwaysOnSampler/);
  });

  it.each([
    ['always_on', /^AlwaysOnSampler/],
    ['always_off', /^AlwaysOffSampler/],
    ['traceidratio', /^TraceIdRatioBased\{0.25\}/],
    ['parentbased_always_off', /root=AlwaysOffSampler/],
    ['parentbased_traceidratio', /root=TraceIdRatioBased\{0.25\}/],
  ])('take OTEL_TRACES_SAMPLER=%s with its argument', (name, shape) => {
    expect(samplerOf({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: '0.25' }).toString()).toMatch(shape);
  });

  it('read a ratio outside 0..1 as 1', () => {
    expect(samplerOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }).toString()).toMatch(/\{1\}/);
  });
});
