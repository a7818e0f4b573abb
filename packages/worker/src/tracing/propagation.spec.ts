// The libraries' spans under a real SDK (in memory): a command's spans hang under the upstream
// service's span, the Midtrans call under the plugin operation, the result's traceparent names the
// span that produced it, and the offset's commit follows under the command.
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { createLogger, enableTracing, tracedCall } from '@paystream/core';
import {
  clearPendingCommits,
  commandSpan,
  forgetOrders,
  inquirySpan,
  notificationSpan,
  noteOutcome,
  offsetsCommitted,
  operationSpan,
  produceSpan,
  verifySpan,
  type ConsumedMessage,
} from '@paystream/runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const UPSTREAM_SPAN = 'b7ad6b7169203331';
const TOPIC = 'paystream.commands.gopay';
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

const message = (traceparent?: string): ConsumedMessage => ({
  topic: TOPIC,
  partition: 3,
  message: {
    key: Buffer.from('o-1'),
    value: Buffer.from('{}'),
    offset: '41',
    timestamp: '0',
    attributes: 0,
    headers: traceparent ? { traceparent } : {},
  },
});

/** The answer of a call that took two attempts. */
const charged = (attempted: () => void): ReturnType<typeof tracedCall> => {
  attempted();
  attempted();
  return Promise.resolve({
    ok: true,
    httpStatus: 200,
    responseCode: { raw: '2005400', http: 200, service: '54', case: '00' },
    body: { accessToken: 'never-seen' },
  });
};

const facts = {
  family: 'snap' as const,
  method: 'POST',
  path: '/v1.0/debit/payment-host-to-host',
  merchant: 'default',
  breakerState: () => 'closed',
};
const named = (name: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span)
    throw new Error(
      `no span ${name} among ${exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return span;
};
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  enableTracing(true);
});
afterAll(async () => {
  enableTracing(false);
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => {
  exporter.reset();
  clearPendingCommits();
  forgetOrders();
});

describe('spans of a command', () => {
  it('hang under the upstream span, down to the Midtrans call, the result and the commit', async () => {
    const lines: string[] = [];
    const log = createLogger(
      { name: 't', level: 'info' },
      new Writable({
        write: (c: Buffer, _e, done) => {
          lines.push(c.toString());
          done();
        },
      }),
    );
    let traceparent: string | undefined;
    await commandSpan(message(`00-${TRACE_ID}-${UPSTREAM_SPAN}-01`), async () => {
      await operationSpan('gopay', 'charge', () => tracedCall(facts, charged));
      traceparent = await produceSpan('paystream.results', 'o-1', (tp) => Promise.resolve(tp));
      noteOutcome({
        kind: 'result',
        status: 'action_required',
        method: 'gopay',
        orderId: 'o-1',
        commandId: 'c-1',
        verification: 'response',
      });
      log.info('inside the command');
    });
    offsetsCommitted([{ topic: TOPIC, partition: 3, offset: 42 }]);

    const command = named(`process ${TOPIC}`);
    const plugin = named('plugin charge');
    const call = named('POST /v1.0/debit/payment-host-to-host');
    const send = named('send paystream.results');
    const commit = named(`commit ${TOPIC}`);
    for (const s of [command, plugin, call, send, commit]) expect(s.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(command)).toBe(UPSTREAM_SPAN);
    expect(parentOf(plugin)).toBe(command.spanContext().spanId);
    expect(parentOf(call)).toBe(plugin.spanContext().spanId);
    expect(parentOf(send)).toBe(command.spanContext().spanId);
    expect(parentOf(commit)).toBe(command.spanContext().spanId);
    expect(traceparent).toBe(`00-${TRACE_ID}-${send.spanContext().spanId}-01`);
    expect(call.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1.0/debit/payment-host-to-host',
      'paystream.midtrans.response_code': '2005400',
      'paystream.midtrans.attempts': 2,
      'paystream.midtrans.retries': 1,
      'paystream.breaker.state': 'closed',
    });
    expect(command.attributes).toMatchObject({
      'paystream.order_id': 'o-1',
      'paystream.outcome': 'action_required',
      'messaging.kafka.offset': 41,
    });
    expect(commit.attributes['messaging.kafka.offset']).toBe(41);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ trace_id: TRACE_ID, span_id: command.spanContext().spanId });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]))).not.toContain('never-seen');
  });

  it('start a trace of their own for a command without a usable traceparent', async () => {
    await commandSpan(message('00-garbage'), () => Promise.resolve());
    const command = named(`process ${TOPIC}`);
    expect(command.parentSpanContext).toBeUndefined();
    expect(command.spanContext().traceId).not.toBe(TRACE_ID);
  });

  it('mark a failed Midtrans call by its kind only', async () => {
    const failure = Object.assign(new Error('secret detail 4811111111111114'), { kind: 'ambiguous', httpStatus: 504 });
    await expect(tracedCall(facts, () => Promise.reject(failure))).rejects.toBe(failure);
    const call = named('POST /v1.0/debit/payment-host-to-host');
    expect(call.status.code).toBe(2);
    expect(call.attributes).toMatchObject({
      'error.type': 'ambiguous',
      'paystream.midtrans.result': 'ambiguous',
      'http.response.status_code': 504,
    });
    expect(JSON.stringify([call.attributes, call.events])).not.toContain('secret detail');
  });

  it("put a notification's inquiry and result in the order's trace, linked to the notification's own", async () => {
    await commandSpan(message(`00-${TRACE_ID}-${UPSTREAM_SPAN}-01`), () => {
      noteOutcome({ kind: 'result', status: 'action_required', method: 'gopay', orderId: 'o-1', commandId: 'c-1' });
      return Promise.resolve();
    });
    let traceparent: string | undefined;
    await notificationSpan('snap', '/v1.0/debit/notify', async () => {
      verifySpan('snap', () => ({ valid: true }));
      await inquirySpan('gopay', 'o-1', () => operationSpan('gopay', 'status', () => Promise.resolve()));
      traceparent = await produceSpan('paystream.results', 'o-1', (tp) => Promise.resolve(tp));
    });
    const command = named(`process ${TOPIC}`);
    const notification = named('notification snap');
    const inquiry = named('inquire gopay');
    const send = named('send paystream.results');
    expect(notification.parentSpanContext).toBeUndefined();
    expect(notification.spanContext().traceId).not.toBe(TRACE_ID);
    expect(parentOf(named('verify snap notification'))).toBe(notification.spanContext().spanId);
    expect(named('verify snap notification').attributes['paystream.notification.verdict']).toBe('valid');
    for (const step of [inquiry, send]) {
      expect(parentOf(step)).toBe(command.spanContext().spanId);
      expect(step.links.map((l) => l.context.spanId)).toEqual([notification.spanContext().spanId]);
    }
    expect(parentOf(named('plugin status'))).toBe(inquiry.spanContext().spanId);
    expect(traceparent).toBe(`00-${TRACE_ID}-${send.spanContext().spanId}-01`);
  });

  it("keep the steps of an order it never charged in the request's trace", async () => {
    await notificationSpan('core', '/v2/notification', () => inquirySpan('gopay', 'o-unknown', () => Promise.resolve()));
    const inquiry = named('inquire gopay');
    expect(parentOf(inquiry)).toBe(named('notification core').spanContext().spanId);
    expect(inquiry.links).toEqual([]);
  });
});
