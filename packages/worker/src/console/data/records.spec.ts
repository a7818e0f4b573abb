import { randomUUID } from 'node:crypto';
import { canonicalEventBytes, DLQ_PAYLOAD_PATH } from '@paystream/contracts';
import { EventSigner, FieldCipher } from '@paystream/core';
import type { RangeRecord } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { listed, newestFirst, passes, shownTo } from './dlq-data.ts';
import { commandSummary, dlqSummary, resultSummary } from './records.ts';
import { sortTimeline, type TimelineEntry } from './timeline.ts';
import { toEntry } from '../../cli/dlq/dlq-records.ts';

const CARD = '4811111111111114';
const { signer } = EventSigner.generate();
const cipher = new FieldCipher([Buffer.alloc(32, 7)]);
const keys = signer.publicKeys();

const record = (value: unknown, offset = '0', timestamp = '1767225600000'): RangeRecord => ({
  partition: 0,
  offset,
  timestamp,
  key: Buffer.from('order-1'),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
});

function signedResult(): Record<string, unknown> {
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: 'paystream/test',
    type: 'paystream.payment.succeeded',
    subject: 'order-1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    paystreamkid: signer.keyId,
    data: {
      orderId: 'order-1',
      commandId: randomUUID(),
      method: 'gopay',
      amount: { value: 10_000, currency: 'IDR' },
      status: 'succeeded',
      midtrans: { referenceNo: 'R-1' },
      verification: 'response',
      customerAuthentication: { description: 'GoPay PIN', factors: ['pin'] },
      customer: { email: cipher.encrypt('customer.email', 'jane@example.com') },
    },
  };
  return { ...event, paystreamsig: signer.sign(canonicalEventBytes(event)).signature };
}

const dlqValue = (payload: string, code = 'PS_ERR_COMMAND_CARD_DATA'): string =>
  JSON.stringify({
    code,
    message: 'refused',
    originalTopic: 'paystream.commands.gopay',
    originalPartition: 0,
    originalOffset: '3',
    attempts: 1,
    firstSeen: '2026-01-01T00:00:00.000Z',
    payload: cipher.encrypt(DLQ_PAYLOAD_PATH, payload),
    payloadBytes: payload.length,
  });

describe('console records', () => {
  it('verifies a result event and flags a tampered one, leaving customer fields encrypted', () => {
    const event = signedResult();
    const good = resultSummary(record(event), keys);
    expect(good).toMatchObject({ verified: true, keyId: signer.keyId, type: 'paystream.payment.succeeded' });
    expect(JSON.stringify(good)).not.toContain('jane@example.com');
    expect((good['data'] as { customer: { email: { alg: string } } }).customer.email.alg).toBe('A256GCM');
    const tampered = { ...event, data: { ...(event['data'] as object), amount: { value: 1, currency: 'IDR' } } };
    expect(resultSummary(record(tampered), keys)).toMatchObject({ verified: false, keyId: signer.keyId });
    expect(resultSummary(record('not json'), keys)).toMatchObject({ verified: false, unreadable: 'not a valid result event' });
  });

  it('masks a command: customer fields and card-like numbers', () => {
    const command = {
      commandId: randomUUID(),
      type: 'payment.charge',
      method: 'gopay',
      orderId: 'order-1',
      amount: { value: 10_000, currency: 'IDR' },
      customer: { email: 'jane@example.com', phone: '+6281234567890' },
      details: { note: CARD },
      requestedAt: new Date().toISOString(),
    };
    const text = JSON.stringify(commandSummary(record(command)));
    for (const secret of [CARD, 'jane@example.com', '81234567890']) expect(text).not.toContain(secret);
    expect(commandSummary(record('{}'))).toEqual({ unreadable: 'not a valid payment command' });
  });

  it('shows a DLQ record without its payload in lists and timelines', () => {
    const r = record(dlqValue(`{"note":"${CARD}"}`));
    expect(dlqSummary(r)).not.toHaveProperty('payload');
    expect(listed('gopay', r, toEntry(0, r))).not.toHaveProperty('payload');
  });

  it('shows a DLQ payload decrypted and masked to an operator, hidden from a viewer', () => {
    const r = record(dlqValue(`{"customer":{"email":"jane@example.com"},"details":{"note":"${CARD}"}}`));
    expect(shownTo('viewer', cipher, 'gopay', r)).toMatchObject({ payload: null, payloadHidden: true });
    for (const role of ['operator', 'approver', 'admin'] as const) {
      const shown = shownTo(role, cipher, 'gopay', r);
      expect(shown).toMatchObject({ payloadHidden: false, payload: { customer: { email: 'j***@example.com' } } });
      expect(JSON.stringify(shown)).not.toContain(CARD);
    }
    const foreign = new FieldCipher([Buffer.alloc(32, 9)]);
    expect(shownTo('operator', foreign, 'gopay', r)).toMatchObject({ payload: null, payloadNote: expect.any(String) as string });
  });

  it('filters DLQ records by code and keeps the newest within the limit', () => {
    const a = toEntry(0, record(dlqValue('x', 'PS_ERR_COMMAND_CARD_DATA')));
    const unreadable = toEntry(0, record('garbage'));
    expect([
      passes(a, undefined),
      passes(a, 'PS_ERR_COMMAND_CARD_DATA'),
      passes(a, 'PS_ERR_OTHER'),
      passes(unreadable, 'PS_ERR_X'),
    ]).toEqual([true, true, false, false]);
    const items = ['1', '3', '2'].map((offset) => ({ at: `2026-01-01T00:00:0${offset}.000Z`, offset }));
    expect(newestFirst(items, 2).map((i) => i.offset)).toEqual(['3', '2']);
  });

  it('orders a timeline by time, then a command before its result', () => {
    const entry = (kind: TimelineEntry['kind'], at: string, offset = '0'): TimelineEntry => ({
      kind,
      at,
      topic: kind,
      partition: 0,
      offset,
    });
    const sorted = sortTimeline([
      entry('audit', '2026-01-01T00:00:03.000Z'),
      entry('result', '2026-01-01T00:00:01.000Z'),
      entry('command', '2026-01-01T00:00:01.000Z'),
      entry('command', '2026-01-01T00:00:00.000Z', '9'),
    ]);
    expect(sorted.map((e) => `${e.kind}@${e.at.slice(17, 19)}`)).toEqual(['command@00', 'command@01', 'result@01', 'audit@03']);
  });
});
