import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_IDR, PaymentCommand, topics } from './command.ts';

const valid = {
  commandId: randomUUID(),
  type: 'payment.charge',
  method: 'gopay',
  orderId: 'order-2026.11_24~1',
  amount: { value: 150_000, currency: 'IDR' },
  customer: { firstName: 'Budi', email: 'budi@example.co.id', phone: '+6281234567890' },
  details: { returnUrl: 'https://shop.example/return' },
  requestedAt: '2026-11-24T10:00:00+07:00',
};

function issues(input: unknown): string[] {
  const r = PaymentCommand.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('PaymentCommand', () => {
  it('accepts a well-formed command and defaults details', () => {
    expect(issues(valid)).toEqual([]);
    const { details: _d, ...noDetails } = valid;
    expect(PaymentCommand.parse(noDetails).details).toEqual({});
  });

  it.each([
    ['a negative amount', { amount: { value: -1, currency: 'IDR' } }, 'amount.value'],
    ['a fractional amount', { amount: { value: 10.5, currency: 'IDR' } }, 'amount.value'],
    ['an oversized amount', { amount: { value: MAX_AMOUNT_IDR + 1, currency: 'IDR' } }, 'amount.value'],
    ['another currency', { amount: { value: 1, currency: 'USD' } }, 'amount.currency'],
    ['an order id with forbidden symbols', { orderId: 'order#1' }, 'orderId'],
    ['a command id that is not a UUID', { commandId: 'c-1' }, 'commandId'],
    ['an unknown command type', { type: 'payment.teleport' }, 'type'],
    ['a method that is not kebab-case', { method: 'GoPay' }, 'method'],
    ['an unknown top-level field', { gross_amount: 1 }, ''],
    ['a timestamp without offset', { requestedAt: '2026-11-24 10:00' }, 'requestedAt'],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const found = issues({ ...valid, ...change });
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(field);
  });

  it('names the topics', () => {
    expect([topics.commands('gopay'), topics.dlq('gopay'), topics.results]).toEqual([
      'paystream.commands.gopay',
      'paystream.commands.gopay.dlq',
      'paystream.results',
    ]);
  });
});
