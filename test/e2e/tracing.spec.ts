// Traces of a whole worker process exported over OTLP/HTTP to a local receiver: a GoPay charge sent
// with an upstream traceparent, paid by its customer and confirmed by the simulator's notification,
// makes one trace under the upstream span — command, plugin operation, Midtrans call, result,
// offset commit, then the notification's inquiry and result — and the notification its own trace,
// linked. A second charge whose notification is lost is confirmed by the reconciler, in its own
// order's trace. No exported span carries a secret of the run or the card number.
import { join } from 'node:path';
import type {} from '@paystream/kafka-broker/global-setup';
import { SANDBOX_CARD, startSystem, type PaystreamSystem } from '@paystream/test-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OtlpReceiver, type ReceivedSpan } from './tracing/otlp-receiver.ts';
import { cardForms, findSecrets, secretsInFolder } from './tracing/span-scan.ts';
import { tracedRun, type TracedRun } from './tracing/traced-run.ts';
import { childOf, KIND, spansNamed, traceparentOf } from './tracing/trace-shape.ts';

let receiver: OtlpReceiver;
let system: PaystreamSystem;
let run: TracedRun;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  system = await startSystem({
    name: 'tracing',
    brokers: inject('kafkaBrokers'),
    plugins: ['gopay'],
    logLevel: 'debug',
    // Late enough that the notified order is confirmed by its notification, not by an inquiry.
    reconcile: { firstMs: 8_000, maxMs: 8_000 },
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'paystream-e2e' },
  });
  run = await tracedRun(system, receiver);
}, 240_000);
afterAll(async () => {
  await system.close();
  await receiver.close();
});

/** The command span of an order in the upstream trace. */
function commandOf(orderId: string): ReceivedSpan {
  const span = spansNamed(run.spans, `process ${system.names.commands('gopay')}`).find(
    (s) => s.attributes['paystream.order_id'] === orderId,
  );
  if (!span) throw new Error(`no command span for ${orderId}`);
  return span;
}

/** The results an order's command span holds: its charge's own, and those its later steps added, each linked to what caused it. */
function resultsUnder(command: ReceivedSpan): { charged: ReceivedSpan; later: ReceivedSpan[] } {
  const sends = spansNamed(run.spans, `send ${system.names.results}`).filter((s) => s.parentSpanId === command.spanId);
  const charged = sends.find((s) => s.links.length === 0);
  if (!charged) throw new Error(`no result of the charge under ${command.name}`);
  return { charged, later: sends.filter((s) => s.links.length > 0) };
}

describe('tracing a worker over OTLP/HTTP', () => {
  it('exports the charge under the upstream span, down to the Midtrans call, its result and its commit', () => {
    expect(receiver.problems).toEqual([]);
    expect(new Set(run.spans.map((s) => s.service))).toEqual(new Set(['paystream-e2e']));
    const command = commandOf(run.notified.orderId);
    expect(command).toMatchObject({ parentSpanId: run.upstream.spanId, kind: KIND.consumer });
    expect(command.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': system.names.commands('gopay'),
      'paystream.command_id': run.notified.commandId,
      'paystream.method': 'gopay',
      'paystream.outcome': 'action_required',
    });
    const call = childOf(run.spans, childOf(run.spans, command, 'plugin charge'), /^POST \/v1\.0\//);
    expect(call.kind).toBe(KIND.client);
    expect(call.attributes).toMatchObject({
      'http.request.method': 'POST',
      'paystream.breaker.state': 'closed',
      'paystream.midtrans.retries': 0,
    });
    expect(call.attributes['http.route']).toBe(call.name.slice('POST '.length));
    expect(call.attributes['paystream.midtrans.response_code']).toMatch(/^2\d{6}$/);
    const { charged } = resultsUnder(command);
    expect(charged.kind).toBe(KIND.producer);
    expect(run.events.asked.traceparent).toBe(traceparentOf(charged));
    const commit = childOf(run.spans, command, `commit ${system.names.commands('gopay')}`);
    expect(commit.attributes['messaging.kafka.offset']).toBe(command.attributes['messaging.kafka.offset']);
  });

  it("puts the notification's inquiry and result in the order's trace, linked to the notification's own trace", () => {
    expect(run.events.paid.data.verification).toBe('notification+inquiry');
    const command = commandOf(run.notified.orderId);
    const inquiry = childOf(run.spans, command, 'inquire gopay');
    const notification = receiver.spans.find((s) => s.spanId === inquiry.links[0]?.spanId);
    if (!notification) throw new Error('the inquiry links no exported notification span');
    expect(notification).toMatchObject({ kind: KIND.server, parentSpanId: '' });
    expect(notification.name).toMatch(/^notification (snap|core)$/);
    const verified = childOf(receiver.trace(notification.traceId), notification, /^verify (snap|core) notification$/);
    expect(verified.attributes['paystream.notification.verdict']).toBe('valid');
    expect(childOf(run.spans, childOf(run.spans, inquiry, 'plugin status'), /^(GET|POST) \//).kind).toBe(KIND.client);
    const [confirmed] = resultsUnder(command).later;
    expect(confirmed?.links[0]?.spanId).toBe(notification.spanId);
    expect(run.events.paid.traceparent).toBe(confirmed ? traceparentOf(confirmed) : 'a result under the command');
  });

  it("puts the reconciler's inquiry of a lost notification in the order's trace, linked to its round", () => {
    expect(run.events.found.data.verification).toBe('inquiry');
    const command = commandOf(run.lost.orderId);
    const inquiries = spansNamed(run.spans, 'inquire gopay').filter((s) => s.parentSpanId === command.spanId);
    expect(inquiries.length).toBeGreaterThan(0);
    for (const inquiry of inquiries)
      expect(receiver.spans.find((s) => s.spanId === inquiry.links[0]?.spanId)).toMatchObject({
        name: 'reconcile inquiry',
        parentSpanId: '',
        attributes: { 'paystream.order_id': run.lost.orderId },
      });
    const [confirmed] = resultsUnder(command).later;
    expect(run.events.found.traceparent).toBe(confirmed ? traceparentOf(confirmed) : 'a result under the command');
  });

  it('names the trace in the log lines of the work', () => {
    expect(run.logs.some((l) => l.json?.['trace_id'] === run.upstream.traceId)).toBe(true);
  });

  it('exports no secret of the run and no card number in any span', () => {
    const tokens = [...system.simulator.sim.store.tokens.keys()].map((value, i) => ({ name: `access token ${String(i + 1)}`, value }));
    const secrets = [...secretsInFolder(join(system.dir, 'worker-keys')), ...tokens, ...cardForms(SANDBOX_CARD)];
    expect(tokens.length).toBeGreaterThan(0);
    expect(secrets.length).toBeGreaterThan(5);
    expect(findSecrets(receiver.spans, secrets)).toEqual([]);
    // The scan finds what it looks for: a span holding a secret, encoded, is reported.
    const planted = {
      ...commandOf(run.notified.orderId),
      raw: JSON.stringify({ name: Buffer.from(secrets[0]?.value ?? '').toString('base64') }),
    };
    expect(findSecrets([planted], secrets)).toHaveLength(1);
  });
});
