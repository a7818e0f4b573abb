// Which records of the results topic `events republish` writes again: valid signed events of the
// chosen order or method only; anything else on the topic is left alone, and what is not a valid
// signed event is counted as such.
import { randomUUID } from 'node:crypto';
import { canonicalEventBytes, eventId } from '@paystream/contracts';
import { EventSigner } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { judge } from './republish.ts';

const { signer } = EventSigner.generate();
const keys = signer.publicKeys();

function signedEvent(orderId: string, method: string, by: EventSigner = signer): Record<string, unknown> {
  const commandId = randomUUID();
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: eventId(orderId, 'paystream.payment.succeeded'),
    source: 'paystream/worker',
    type: 'paystream.payment.succeeded',
    subject: orderId,
    time: '2026-11-24T03:00:00.000Z',
    datacontenttype: 'application/json',
    paystreamkid: by.keyId,
    data: {
      orderId,
      commandId,
      method,
      amount: { value: 150000, currency: 'IDR' },
      status: 'succeeded',
      midtrans: { referenceNo: 'A1' },
      verification: 'notification+inquiry',
      customerAuthentication: { description: 'app PIN', factors: ['PIN'] },
    },
  };
  return { ...event, paystreamsig: by.sign(canonicalEventBytes(event)).signature };
}

const record = (key: string | null, value: unknown) => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('judge', () => {
  it('chooses a valid signed event of the period, or of the order by its key', () => {
    const event = signedEvent('o-1', 'gopay');
    expect(judge(record('o-1', event), { fromMs: 0, toMs: 1 }, keys).verdict).toBe('chosen');
    expect(judge(record('o-1', event), { orderId: 'o-1' }, keys)).toEqual({ verdict: 'chosen', eventId: event['id'] });
    expect(judge(record('o-2', signedEvent('o-2', 'gopay')), { orderId: 'o-1' }, keys).verdict).toBe('other');
  });

  it('leaves other methods alone with --method', () => {
    expect(judge(record('o-1', signedEvent('o-1', 'gopay')), { method: 'gopay' }, keys).verdict).toBe('chosen');
    expect(judge(record('o-1', signedEvent('o-1', 'qris')), { method: 'gopay' }, keys).verdict).toBe('other');
  });

  it('never chooses what is not a valid signed event of these keys', () => {
    const event = signedEvent('o-1', 'gopay');
    const tampered = { ...event, data: { ...(event['data'] as object), amount: { value: 1, currency: 'IDR' } } };
    const foreign = signedEvent('o-1', 'gopay', EventSigner.generate().signer);
    const { paystreamsig: _s, ...unsigned } = event;
    for (const [name, value] of Object.entries({
      tampered,
      foreign,
      unsigned,
      text: 'not json',
      array: '[1]',
      empty: null,
      bytes: '\u00ff{',
    }))
      expect(judge(record('o-1', value), {}, keys).verdict, name).toBe('invalid');
    expect(judge(record('o-1', { ...event, type: 'paystream.payment.teleported' }), {}, keys).verdict).toBe('invalid');
  });
});
