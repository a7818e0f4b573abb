// What the dispatcher lets out of a refused command: for card data, the DLQ record and its key and
// headers, the rejected event, the outcome for logs and metrics — none may hold the card; whether a
// DLQ payload is still the command as sent; and what a command may not do to the order it names.
import { randomUUID } from 'node:crypto';
import { DlqHeaders, dlqPayload } from '@paystream/contracts';
import { containsCardNumber } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import {
  command,
  dlqRecords,
  harness,
  MemoryOrders,
  message,
  onlyDlq,
  orderState,
  TOPIC,
  type Harness,
} from '../../test/dispatch-fakes.ts';
import type { OrderChange } from '../state/order-state.ts';

const CARD = '4811111111111114';

/** Everything the dispatcher emitted, as text, DLQ payloads decrypted. */
const emitted = (h: Harness): string =>
  JSON.stringify({ sent: h.sent, outcomes: h.outcomes, payloads: dlqRecords(h.sent).map((r) => dlqPayload(r, h.keys)) });

describe('a command refused for card data', () => {
  it('names its order, command and method only where they hold no card', async () => {
    const h = harness();
    const raw = command({ orderId: CARD, commandId: `${CARD.slice(0, 8)}-a`, method: `m ${CARD}` });
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(raw, CARD, { [DlqHeaders.firstSeen]: CARD }) });
    expect(h.outcomes).toEqual([expect.objectContaining({ kind: 'refused', method: 'unknown', code: 'PS_ERR_COMMAND_CARD_DATA' })]);
    expect(h.outcomes[0]).not.toHaveProperty('orderId');
    expect(h.outcomes[0]).not.toHaveProperty('commandId');
    expect(h.sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`]);
    expect(h.sent[0]?.key).toBe('481111******1114');
    expect(containsCardNumber(emitted(h))).toBe(false);
  });

  it('keeps the order id it can name, and the rejected event carries no card', async () => {
    const h = harness();
    await h.d.handle({
      topic: TOPIC,
      partition: 0,
      message: message(command({ details: { note: String.raw`\u0034${CARD.slice(1)}` } }).replace('\\\\u', '\\u'), 'o-1'),
    });
    expect(h.outcomes[0]).toMatchObject({ kind: 'refused', code: 'PS_ERR_COMMAND_CARD_DATA', orderId: 'o-1', method: 'gopay' });
    expect(h.sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`, 'paystream.results']);
    expect(containsCardNumber(emitted(h))).toBe(false);
  });

  it('is refused for a card a JSON number spells only once parsed, and keeps it masked', async () => {
    const h = harness();
    const raw = command({ details: { n: 0 } }).replace('"n":0', `"n":${CARD}000e-3`);
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(raw, 'o-1') });
    expect(h.outcomes[0]).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA' });
    expect(JSON.parse(onlyDlq(h).text)).toMatchObject({ details: { n: '481111******1114' } });
  });
});

/** A Luhn-valid number of no card scheme the guard refuses (a Maestro-like 50… prefix). */
function luhnValid(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

describe('the DLQ payload of a refused command', () => {
  it('is the command as received, encrypted, marked unmasked, when nothing in it reads like a card', async () => {
    const h = harness();
    const raw = command({ type: 'payment.sell', customer: { email: 'ani@example.com' } });
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(raw, 'o-1') });
    const record = onlyDlq(h);
    expect(record).toMatchObject({
      code: 'PS_ERR_COMMAND_INVALID',
      text: raw,
      payloadMasked: false,
      payloadTruncated: false,
      payloadBytes: Buffer.byteLength(raw),
    });
    expect(h.sent[0]?.value).not.toContain('ani@example.com');
  });

  it('says so when masking changed it, so an operator never replays altered bytes', async () => {
    const h = harness();
    const maestroLike = luhnValid('501234567890123');
    await h.d.handle({
      topic: TOPIC,
      partition: 0,
      message: message(command({ type: 'payment.sell', details: { ref: maestroLike } }), 'o-1'),
    });
    const record = onlyDlq(h);
    expect(record).toMatchObject({ code: 'PS_ERR_COMMAND_INVALID', payloadMasked: true });
    expect(record.text).not.toContain(maestroLike);
  });

  it('cannot be decrypted as an event field: the ciphertext is bound to the DLQ payload', async () => {
    const h = harness();
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(command({ type: 'payment.sell' }), 'o-1') });
    const { payload } = onlyDlq(h);
    const { FieldCipher } = await import('@paystream/core');
    const [key] = [...h.keys.values()];
    expect(() => new FieldCipher([key as Uint8Array]).decrypt('customer.email', payload)).toThrow();
  });
});

describe('commands against the order they name', () => {
  function withOrder(state: OrderChange): Harness {
    const orders = new MemoryOrders();
    orders.applied('o-1', orderState(state));
    return harness({ orders });
  }
  const first = randomUUID();

  it('refuses a second charge of an order under another command, without calling Midtrans', async () => {
    const h = withOrder({ chargeCommandId: first, amount: 10_000, status: 'action_required', method: 'gopay' });
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(command({}), 'o-1') });
    expect(h.calls).toEqual([]);
    expect(h.sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`, 'paystream.results']);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_ORDER_CHARGED' });
    expect(JSON.parse(h.sent[1]?.value ?? '{}')).toMatchObject({
      type: 'paystream.command.rejected',
      data: { orderId: 'o-1', code: 'PS_ERR_COMMAND_ORDER_CHARGED' },
    });
  });

  it('lets the same charge through again, as a redelivery (Midtrans replays its answer)', async () => {
    const h = withOrder({ chargeCommandId: first, amount: 10_000, status: 'action_required', method: 'gopay' });
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(command({ commandId: first }), 'o-1') });
    expect(h.calls).toHaveLength(1);
    expect(h.outcomes).toEqual([expect.objectContaining({ kind: 'result', status: 'action_required' })]);
  });

  it('refuses a refund of more than was charged, and lets one of up to the charge through', async () => {
    const h = withOrder({ chargeCommandId: first, amount: 10_000, status: 'succeeded', method: 'gopay' });
    await h.d.handle({
      topic: TOPIC,
      partition: 0,
      message: message(command({ type: 'payment.refund', amount: { value: 10_001, currency: 'IDR' } }), 'o-1'),
    });
    expect(h.calls).toEqual([]);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE' });
    await h.d.handle({ topic: TOPIC, partition: 0, message: message(command({ type: 'payment.refund' }), 'o-1') });
    expect(h.calls).toHaveLength(1);
  });
});

describe('a status command', () => {
  it("answers with the order's Midtrans references only, never the runtime's bookkeeping", async () => {
    const orders = new MemoryOrders();
    const state = { chargeCommandId: randomUUID(), amount: 10_000, currency: 'IDR', partition: 3, method: 'gopay' } as const;
    orders.applied('o-1', orderState({ ...state, status: 'action_required', references: { referenceNo: 'A1', externalId: 'x-1' } }));
    // A plugin answers an inquiry with the references it was given, as the shipped ones do.
    const h = harness({
      orders,
      answer: (_op, ctx) =>
        Promise.resolve({ status: 'succeeded', references: ctx.references, responseCode: '2005500', amount: 10_000, currency: 'IDR' }),
    });
    await h.d.handle({ topic: TOPIC, partition: 3, message: message(command({ type: 'payment.status' }), 'o-1') });
    const event = JSON.parse(h.sent.find((r) => r.topic === 'paystream.results')?.value ?? '{}') as { data: { midtrans: object } };
    expect(event.data.midtrans).toEqual({ referenceNo: 'A1', externalId: 'x-1', responseCode: '2005500' });
    expect(h.calls[0]?.references).toEqual({ referenceNo: 'A1', externalId: 'x-1' });
  });
});
