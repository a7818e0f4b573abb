// Paystream's side: result records believed only once their signature verifies with the worker's
// keys, and verified payment events folded into one record per order.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEventBytes, type PaymentEvent, type PaymentStatus } from '@paystream/contracts';
import { EventSigner } from '@paystream/core';
import { foldOrders } from './orders.ts';
import { readResult } from './results-reader.ts';

const { signer } = EventSigner.generate();
const keys = signer.publicKeys();

function event(
  orderId: string,
  status: PaymentStatus,
  time: string,
  midtrans: Record<string, string> = {},
  id = randomUUID(),
): PaymentEvent {
  const unsigned = {
    specversion: '1.0' as const,
    id,
    source: 'paystream/worker',
    type: `paystream.payment.${status}` as const,
    time,
    datacontenttype: 'application/json' as const,
    data: {
      orderId,
      commandId: randomUUID(),
      method: 'va',
      amount: { value: 25_000, currency: 'IDR' as const },
      status,
      midtrans,
      verification: 'response' as const,
      customerAuthentication: { description: 'banking app', factors: ['PIN'] },
    },
  };
  // The key id is signed with the rest, as the worker signs.
  const withKid = { ...unsigned, paystreamkid: signer.keyId };
  return { ...withKid, paystreamsig: signer.sign(canonicalEventBytes(withKid)).signature };
}

const record = (value: unknown) => ({ value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

describe('readResult', () => {
  it('believes a payment event signed by a worker key, and passes over a refused command', () => {
    const e = event('o-1', 'succeeded', '2026-03-01T03:00:00.000Z');
    expect(readResult(record(e), keys)).toEqual(e);
    const { data: _data, paystreamkid: _kid, paystreamsig: _sig, ...envelope } = e;
    const rejected = {
      ...envelope,
      paystreamkid: signer.keyId,
      type: 'paystream.command.rejected',
      data: { orderId: 'o-1', code: 'PS_ERR_COMMAND_INVALID', message: 'bad', topic: 't', partition: 0, offset: '7' },
    };
    const signed = { ...rejected, paystreamsig: signer.sign(canonicalEventBytes(rejected)).signature };
    expect(readResult(record(signed), keys)).toBe('other');
  });

  it('never uses a record that does not verify: tampered, unsigned, signed by another key, or not an event', () => {
    const e = event('o-1', 'succeeded', '2026-03-01T03:00:00.000Z');
    const tampered = { ...e, data: { ...e.data, amount: { value: 1, currency: 'IDR' } } };
    expect(readResult(record(tampered), keys)).toEqual({ reason: 'the signature does not match the event' });
    expect(readResult(record({ ...e, paystreamsig: undefined }), keys)).toEqual({
      reason: 'the event carries no paystreamsig / paystreamkid',
    });
    const other = EventSigner.generate().signer.publicKeys();
    expect(readResult(record(e), other)).toMatchObject({ reason: expect.stringContaining('no published key') as string });
    expect(readResult(record('{'), keys)).toEqual({ reason: 'not JSON' });
    expect(readResult(record('[1]'), keys)).toEqual({ reason: 'not a JSON object' });
  });
});

describe('foldOrders', () => {
  it('folds an order into its first and latest result, every Midtrans reference it named, and whether it succeeded', () => {
    const events = [
      event('o-1', 'action_required', '2026-03-01T03:00:00.000Z', { externalId: 'trx-1', trxId: 'trx-1', virtualAccountNo: '70012 1' }),
      event('o-1', 'succeeded', '2026-03-01T03:10:00.000Z', { trxId: 'trx-1', paymentRequestId: 'A1-9' }),
      event('o-1', 'refunded', '2026-03-01T04:00:00.000Z', { referenceNo: 'A1-9' }),
      event('o-2', 'action_required', '2026-03-01T05:00:00.000Z'),
    ];
    expect(foldOrders(events)).toEqual([
      {
        orderId: 'o-1',
        method: 'va',
        firstAtMs: Date.parse('2026-03-01T03:00:00.000Z'),
        lastAtMs: Date.parse('2026-03-01T04:00:00.000Z'),
        status: 'refunded',
        succeeded: true,
        amount: { value: '25000.00', currency: 'IDR' },
        transactionIds: ['A1-9'],
        partnerIds: ['trx-1'],
      },
      expect.objectContaining({ orderId: 'o-2', status: 'pending', succeeded: false }),
    ]);
  });

  it('counts an event read twice once, and orders results by their time rather than the order they were read in', () => {
    const paid = event('o-1', 'succeeded', '2026-03-01T03:10:00.000Z');
    const asked = event('o-1', 'action_required', '2026-03-01T03:00:00.000Z');
    const [folded] = foldOrders([paid, asked, paid]);
    expect(folded).toMatchObject({ status: 'succeeded', firstAtMs: Date.parse(asked.time), lastAtMs: Date.parse(paid.time) });
    const [late] = foldOrders([asked, paid, event('o-1', 'pending', '2026-03-01T03:05:00.000Z')]);
    expect(late?.status).toBe('succeeded');
  });
});
