// Audit events are signed with the event-signing key and verify with its published keys alone; the
// writer never creates the audit topic, and writes each event with acks=all keyed by its target.
import type { Admin, Kafka, Producer, ProducerRecord } from 'kafkajs';
import { AuditEvent, verifyEvent } from '@paystream/contracts';
import { EventSigner, PaystreamError } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { auditEvent, AuditWriter, cliActor, targetKey, type AuditRecord } from './audit-writer.ts';

const { signer } = EventSigner.generate();
const record: AuditRecord = {
  action: 'events_republished',
  target: { orderId: 'order-7', topic: 'live.paystream.results' },
  outcome: 'done',
  detail: 'republished 2 result event(s)',
  count: 2,
};

function fakeKafka(topics: string[]): { kafka: Kafka; admin: Pick<Admin, 'listTopics'>; sent: ProducerRecord[]; connected: () => boolean } {
  const sent: ProducerRecord[] = [];
  let connected = false;
  const producer = {
    connect: () => Promise.resolve(void (connected = true)),
    disconnect: () => Promise.resolve(void (connected = false)),
    send: (r: ProducerRecord) => Promise.resolve(void sent.push(r)),
  } as unknown as Producer;
  return {
    kafka: { producer: () => producer } as unknown as Kafka,
    admin: { listTopics: () => Promise.resolve(topics) },
    sent,
    connected: () => connected,
  };
}

describe('auditEvent', () => {
  it('is a contract AuditEvent, signed so that the published keys alone verify it', () => {
    const event = auditEvent(record, { id: 'siti', via: 'cli' }, signer, new Date('2026-11-24T03:00:00Z'));
    expect(AuditEvent.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      type: 'paystream.audit.events_republished',
      source: 'paystream/cli',
      subject: 'order-7',
      time: '2026-11-24T03:00:00.000Z',
      data: { actor: { id: 'siti', via: 'cli' }, outcome: 'done', count: 2 },
    });
    expect(verifyEvent(event, signer.publicKeys())).toEqual({ valid: true, keyId: signer.keyId });
    expect(verifyEvent(event, EventSigner.generate().signer.publicKeys()).valid).toBe(false);
  });

  it('keeps its detail on one bounded line', () => {
    const event = auditEvent({ ...record, detail: `a\nb\u0007c${'x'.repeat(5_000)}` }, { id: 'siti', via: 'cli' }, signer);
    expect(event.data.detail.startsWith('a b c')).toBe(true);
    expect(event.data.detail.length).toBeLessThanOrEqual(1000);
  });
});

describe('targetKey and cliActor', () => {
  it('key an event by the order, else the group, else the period', () => {
    expect(targetKey({ orderId: 'o-1', group: 'g', from: 'a' })).toBe('o-1');
    expect(targetKey({ group: 'ledger.results', topic: 't' })).toBe('ledger.results');
    expect(targetKey({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', topic: 't' })).toBe(
      '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z',
    );
  });

  it('name the CLI user by --actor, else by user@host', () => {
    expect(cliActor('Siti Rahma')).toEqual({ id: 'Siti Rahma', via: 'cli' });
    expect(cliActor().id).toMatch(/^.+@.+$/);
    expect(cliActor().via).toBe('cli');
  });
});

describe('AuditWriter', () => {
  it('refuses, without connecting a producer, when the audit topic does not exist', async () => {
    const fake = fakeKafka(['live.paystream.results']);
    const opened = AuditWriter.open(fake.kafka, fake.admin, 'live.paystream.audit', signer, cliActor('siti'));
    await expect(opened).rejects.toSatisfy((err) => PaystreamError.is(err) && err.code === 'PS_ERR_EVENTS_AUDIT_TOPIC_MISSING');
    expect(fake.connected()).toBe(false);
  });

  it('writes each event with acks=all, keyed by its target', async () => {
    const fake = fakeKafka(['live.paystream.audit']);
    const writer = await AuditWriter.open(fake.kafka, fake.admin, 'live.paystream.audit', signer, cliActor('siti'));
    const event = await writer.write({ action: 'group_reset', target: { group: 'ledger.results' }, outcome: 'dry_run', detail: 'x' });
    await writer.close();
    expect(fake.sent).toHaveLength(1);
    const [sent] = fake.sent;
    expect(sent).toMatchObject({ topic: 'live.paystream.audit', acks: -1, messages: [{ key: 'ledger.results' }] });
    expect(JSON.parse(String(sent?.messages[0]?.value))).toEqual(event);
    expect(fake.connected()).toBe(false);
  });
});
