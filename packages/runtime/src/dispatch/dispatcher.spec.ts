// What the dispatcher lets out of a refused command: for card data, the DLQ record and its key and
// headers, the rejected event, the outcome for logs and metrics — none may hold the card; whether a
// DLQ payload is still the command as sent; and what a command may not do to the order it names.
import { randomBytes, randomUUID } from 'node:crypto';
import { DlqHeaders } from '@paystream/contracts';
import { EventSigner, FieldCipher, type MidtransApi } from '@paystream/core';
import type { PaymentMethodPlugin, PaymentUpdate } from '@paystream/plugin-sdk';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OutMessage, Publisher } from '../kafka/publisher.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { Dispatcher, type Outcome } from './dispatcher.ts';
import { containsCardNumber } from './guards.ts';

const CARD = '4811111111111114';
const TOPIC = 'paystream.commands.gopay';

function dispatcher(): { d: Dispatcher; sent: OutMessage[]; outcomes: Outcome[] } {
  const sent: OutMessage[] = [];
  const outcomes: Outcome[] = [];
  const publisher = { send: (records: readonly OutMessage[]) => (sent.push(...records), Promise.resolve()) } as unknown as Publisher;
  const crypto = { signer: EventSigner.generate().signer, cipher: new FieldCipher([randomBytes(32)]), source: 'paystream/test' };
  const d = new Dispatcher({ plugins: new Map(), midtrans: {} as MidtransApi, publisher, crypto, onOutcome: (o) => outcomes.push(o) });
  return { d, sent, outcomes };
}

const message = (value: string, key: string, headers: Record<string, string> = {}): KafkaMessage => ({
  key: Buffer.from(key),
  value: Buffer.from(value),
  headers,
  offset: '7',
  timestamp: String(Date.now()),
  attributes: 0,
});

const command = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    commandId: randomUUID(),
    type: 'payment.charge',
    method: 'gopay',
    orderId: 'o-1',
    amount: { value: 10_000, currency: 'IDR' },
    details: {},
    requestedAt: new Date().toISOString(),
    ...fields,
  });

/** Everything the dispatcher emitted, as text. */
const emitted = (sent: readonly OutMessage[], outcomes: readonly Outcome[]): string => JSON.stringify({ sent, outcomes });

describe('a command refused for card data', () => {
  it('names its order, command and method only where they hold no card', async () => {
    const { d, sent, outcomes } = dispatcher();
    const raw = command({ orderId: CARD, commandId: `${CARD.slice(0, 8)}-a`, method: `m ${CARD}` });
    await d.handle({ topic: TOPIC, partition: 0, message: message(raw, CARD, { [DlqHeaders.firstSeen]: CARD }) });
    expect(outcomes).toEqual([{ method: 'unknown', result: 'PS_ERR_COMMAND_CARD_DATA', commandId: `${CARD.slice(0, 8)}-a` }]);
    expect(sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`]);
    expect(sent[0]?.key).toBe('481111******1114');
    expect(containsCardNumber(emitted(sent, outcomes))).toBe(false);
  });

  it('keeps the order id it can name, and the rejected event carries no card', async () => {
    const { d, sent, outcomes } = dispatcher();
    await d.handle({
      topic: TOPIC,
      partition: 0,
      message: message(command({ details: { note: String.raw`\u0034${CARD.slice(1)}` } }).replace('\\\\u', '\\u'), 'o-1'),
    });
    expect(outcomes[0]).toMatchObject({ result: 'PS_ERR_COMMAND_CARD_DATA', orderId: 'o-1' });
    expect(sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`, 'paystream.results']);
    expect(containsCardNumber(emitted(sent, outcomes))).toBe(false);
  });

  it('is refused for a card a JSON number spells only once parsed, and keeps it masked', async () => {
    const { d, sent, outcomes } = dispatcher();
    const raw = command({ details: { n: 0 } }).replace('"n":0', `"n":${CARD}000e-3`);
    await d.handle({ topic: TOPIC, partition: 0, message: message(raw, 'o-1') });
    expect(outcomes[0]?.result).toBe('PS_ERR_COMMAND_CARD_DATA');
    const record = JSON.parse(sent[0]?.value ?? '{}') as { payload: string };
    expect(JSON.parse(record.payload)).toMatchObject({ details: { n: '481111******1114' } });
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
  it('is the command as received, marked unmasked, when nothing in it reads like a card', async () => {
    const { d, sent } = dispatcher();
    const raw = command({ type: 'payment.sell' });
    await d.handle({ topic: TOPIC, partition: 0, message: message(raw, 'o-1') });
    expect(JSON.parse(sent[0]?.value ?? '{}')).toMatchObject({ code: 'PS_ERR_COMMAND_INVALID', payload: raw, payloadMasked: false });
  });

  it('says so when masking changed it, so an operator never replays altered bytes', async () => {
    const { d, sent } = dispatcher();
    const maestroLike = luhnValid('501234567890123');
    const raw = command({ type: 'payment.sell', details: { ref: maestroLike } });
    await d.handle({ topic: TOPIC, partition: 0, message: message(raw, 'o-1') });
    const record = JSON.parse(sent[0]?.value ?? '{}') as { code: string; payload: string; payloadMasked: boolean };
    expect(record).toMatchObject({ code: 'PS_ERR_COMMAND_INVALID', payloadMasked: true });
    expect(record.payload).not.toContain(maestroLike);
  });
});

describe('commands against the order they name', () => {
  function withOrder(state: Record<string, string>): { d: Dispatcher; sent: OutMessage[]; calls: string[] } {
    const sent: OutMessage[] = [];
    const calls: string[] = [];
    const publisher = { send: (records: readonly OutMessage[]) => (sent.push(...records), Promise.resolve()) } as unknown as Publisher;
    const crypto = { signer: EventSigner.generate().signer, cipher: new FieldCipher([randomBytes(32)]), source: 'paystream/test' };
    const answer = (op: string, status: PaymentUpdate['status']) => (): Promise<PaymentUpdate> => (calls.push(op), Promise.resolve({ status, references: {} }));
    const plugin = {
      method: 'gopay',
      topic: TOPIC,
      api: 'snap',
      details: z.object({}),
      customerAuthentication: { description: 'in the app', factors: ['PIN', 'device possession'] },
      operations: { charge: answer('charge', 'action_required'), status: answer('status', 'pending'), refund: answer('refund', 'refunded') },
      notifications: {},
      pendingTimeoutMs: 60_000,
    } as unknown as PaymentMethodPlugin;
    const orders = { get: () => state, change: () => undefined, applied: () => undefined } as unknown as OrderReferences;
    return { d: new Dispatcher({ plugins: new Map([['gopay', plugin]]), midtrans: {} as MidtransApi, publisher, crypto, orders }), sent, calls };
  }
  const first = randomUUID();

  it('refuses a second charge of an order under another command, without calling Midtrans', async () => {
    const { d, sent, calls } = withOrder({ chargeCommandId: first, amount: '10000', status: 'action_required', method: 'gopay' });
    await d.handle({ topic: TOPIC, partition: 0, message: message(command({}), 'o-1') });
    expect(calls).toEqual([]);
    expect(sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`, 'paystream.results']);
    expect(JSON.parse(sent[0]?.value ?? '{}')).toMatchObject({ code: 'PS_ERR_COMMAND_ORDER_CHARGED' });
    expect(JSON.parse(sent[1]?.value ?? '{}')).toMatchObject({ type: 'paystream.command.rejected', data: { orderId: 'o-1', code: 'PS_ERR_COMMAND_ORDER_CHARGED' } });
  });

  it('lets the same charge through again, as a redelivery (Midtrans replays its answer)', async () => {
    const { d, calls } = withOrder({ chargeCommandId: first, amount: '10000', status: 'action_required', method: 'gopay' });
    await d.handle({ topic: TOPIC, partition: 0, message: message(command({ commandId: first }), 'o-1') });
    expect(calls).toEqual(['charge']);
  });

  it('refuses a refund of more than was charged, and lets one of up to the charge through', async () => {
    const { d, sent, calls } = withOrder({ chargeCommandId: first, amount: '10000', status: 'succeeded', method: 'gopay' });
    await d.handle({ topic: TOPIC, partition: 0, message: message(command({ type: 'payment.refund', amount: { value: 10_001, currency: 'IDR' } }), 'o-1') });
    expect(calls).toEqual([]);
    expect(JSON.parse(sent[0]?.value ?? '{}')).toMatchObject({ code: 'PS_ERR_COMMAND_REFUND_EXCEEDS_CHARGE' });
    await d.handle({ topic: TOPIC, partition: 0, message: message(command({ type: 'payment.refund' }), 'o-1') });
    expect(calls).toEqual(['refund']);
  });
});
