// The ways around the card guard (properties/guards.spec.ts) end to end: commands whose card number
// is written in full-width digits, with zero-width spaces or dots between its groups, after another
// number, or behind a JSON escape go through a real worker to the DLQ, with no card readable there —
// not even by an operator who decrypts the payload.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DlqRecord, dlqPayload } from '@paystream/contracts';
import { aesKeyId } from '@paystream/core';
import type {} from '@paystream/kafka-broker/global-setup';
import { uniqueTopic } from '@paystream/kafka-broker/testing';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkerFixture, type WorkerFixture } from '../fixtures/worker.ts';
import { describeFindings, secretScanner } from '../src/secret-scan.ts';

const CARD = '4811111111111114';
const dlq: string[] = [];
let f: WorkerFixture;
let reader: Consumer;

beforeAll(async () => {
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay'] });
  reader = f.kafka.consumer({ groupId: uniqueTopic('bypass-reader') });
  await reader.connect();
  await reader.subscribe({ topics: [f.names.dlq('gopay')], fromBeginning: true });
  await reader.run({ eachMessage: ({ message }) => (dlq.push(message.value?.toString('utf8') ?? ''), Promise.resolve()) });
});
afterAll(async () => {
  await reader.disconnect();
  await f.stop();
});

describe('card numbers that slip past the guard', () => {
  it('never reach the DLQ readable, however they are written', async () => {
    const written = [
      CARD.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
      (CARD.match(/.{4}/g) ?? []).join('\u200b'),
      (CARD.match(/.{4}/g) ?? []).join('.'),
      `2 ${(CARD.match(/.{4}/g) ?? []).join(' ')}`,
    ];
    const raw = written.map((w, i) => {
      const orderId = `bypass-${String(i)}-${randomUUID().slice(0, 8)}`;
      return {
        orderId,
        value: JSON.stringify({
          commandId: randomUUID(),
          type: 'payment.charge',
          method: 'gopay',
          orderId,
          amount: { value: 10_000, currency: 'IDR' },
          details: { note: w },
          requestedAt: new Date().toISOString(),
        }),
      };
    });
    raw.push({
      orderId: `bypass-escaped-${randomUUID().slice(0, 8)}`,
      value: `{"commandId":"${randomUUID()}","type":"payment.charge","method":"gopay","orderId":"bypass-escaped","amount":{"value":10000,"currency":"IDR"},"details":{"note":"\\u0034${CARD.slice(1)}"},"requestedAt":"${new Date().toISOString()}"}`,
    });
    for (const r of raw) await f.publish('gopay', r.orderId, r.value);
    await expect.poll(() => dlq.length, { timeout: 30_000 }).toBe(raw.length);
    // The payload is encrypted: what an operator holding the key reads is scanned too.
    const keys = new Map(
      f.config.events.encryptionKeyFiles
        .map((file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
        .map((k) => [aesKeyId(k), k]),
    );
    const payloads = dlq.map((record) => dlqPayload(DlqRecord.parse(JSON.parse(record)), keys));
    expect(payloads.every((p) => p.includes('"details"'))).toBe(true);
    const scanner = secretScanner({ cardNumbers: [CARD] });
    expect([...dlq, ...payloads].flatMap((text, i) => describeFindings(scanner.scan(text), `DLQ record ${String(i)}`))).toEqual([]);
  });
});
