// What the dispatcher lets out of a command refused for card data: the DLQ record and its key and
// headers, the rejected event, the outcome for logs and metrics — none may hold the card.
import { randomBytes, randomUUID } from 'node:crypto';
import { DlqHeaders } from '@paystream/contracts';
import { EventSigner, FieldCipher, type MidtransApi } from '@paystream/core';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { OutMessage, Publisher } from '../kafka/publisher.ts';
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
