// Commands that used to stall their partition or leak what they carried: each now ends in exactly
// one DLQ record with its own code, its offset finished, and nothing of it echoed unbounded.
import { randomUUID } from 'node:crypto';
import { DLQ_MAX_PAYLOAD_BYTES, DlqHeaders, type ResultEvent } from '@paystream/contracts';
import { codes, containsCardNumber, MidtransError, PaystreamError } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { command, commandFields, harness, message, onlyDlq, results, send, TOPIC, type Harness } from '../../test/dispatch-fakes.ts';
import { OffsetTracker } from '../kafka/offset-tracker.ts';

const CARD = '4811111111111114';

/** Handles one message at offset 7 as KeyOrderedConsumer does: the offset is finished only when `handle` resolves. */
async function consume(h: Harness, value: string | Buffer | null, key: string | Buffer | null, headers = {}): Promise<number | undefined> {
  const tracker = new OffsetTracker();
  const track = tracker.start(TOPIC, 0, 7);
  await h.d.handle({ topic: TOPIC, partition: 0, message: message(value, key, headers) }).then(
    () => tracker.finish(TOPIC, 0, track, 7),
    () => undefined,
  );
  return tracker.committable(TOPIC, 0);
}

const nobody = (): never => {
  // What the key ring throws for a merchant it does not have, from inside the plugin's Midtrans call.
  throw new PaystreamError(codes.PS_ERR_KEY_UNKNOWN_MERCHANT, { name: 'nobody' });
};

describe('a command naming an unknown merchant', () => {
  it('no longer leaves its offset unfinished when the plugin throws for it', async () => {
    const h = harness({ answer: () => Promise.resolve(nobody()) });
    expect(await consume(h, command({ merchant: 'nobody' }), 'o-1')).toBe(8);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_HANDLER_FAILED' });
  });

  it('is refused as unknown before any plugin runs', async () => {
    const h = harness({ deps: { merchantKnown: (m) => m === undefined || m === 'shop' } });
    expect(await consume(h, command({ merchant: 'nobody' }), 'o-1')).toBe(8);
    expect(h.calls).toEqual([]);
    expect(onlyDlq(h)).toMatchObject({
      code: 'PS_ERR_COMMAND_UNKNOWN_MERCHANT',
      message: 'no merchant (credential set) named "nobody" is configured',
    });
    expect(results(h.sent).map((r) => (JSON.parse(r.value ?? '{}') as ResultEvent).type)).toEqual(['paystream.command.rejected']);
    await send(h, command({ merchant: 'shop', orderId: 'o-2' }));
    await send(h, command({ orderId: 'o-3' }));
    expect(h.calls).toHaveLength(2);
  });
});

describe('a plugin that throws something other than a MidtransError', () => {
  it('ends the command as HANDLER_FAILED, naming the error class and never its text', async () => {
    const h = harness({ answer: () => Promise.reject(new TypeError(`cannot read ${CARD} of undefined`)) });
    expect(await consume(h, command(), 'o-1')).toBe(8);
    const record = onlyDlq(h);
    expect(record.code).toBe('PS_ERR_COMMAND_HANDLER_FAILED');
    expect(record.message).toContain('TypeError');
    expect(record.message).not.toContain('cannot read');
    expect(JSON.stringify(h.outcomes)).not.toContain('cannot read');
    expect(h.outcomes).toEqual([
      expect.objectContaining({ kind: 'refused', method: 'gopay', code: 'PS_ERR_COMMAND_HANDLER_FAILED', orderId: 'o-1' }),
    ]);
  });

  it('does so for thrown values that are no errors at all', async () => {
    for (const thrown of ['a string with input', 42, null, { constructor: { name: 'x'.repeat(500) } }]) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- plugins may throw anything
      const h = harness({ answer: () => Promise.reject(thrown) });
      expect(await consume(h, command(), 'o-1')).toBe(8);
      expect(onlyDlq(h).message).not.toMatch(/input|xxxx/);
    }
  });

  it('still retries a MidtransError with the same command until Midtrans answers', async () => {
    let failures = 3;
    const h = harness({
      answer: () =>
        failures-- > 0
          ? Promise.reject(
              new MidtransError('retriable', codes.PS_ERR_MIDTRANS_UNAVAILABLE, {
                path: '/v1.0/debit/status',
                attempts: 3,
                last: 'ECONNREFUSED',
              }),
            )
          : Promise.resolve({ status: 'action_required', references: {} }),
    });
    expect(await consume(h, command(), 'o-1')).toBe(8);
    expect(h.calls).toHaveLength(4);
    expect(new Set(h.calls.map((c) => c.ids.externalId)).size).toBe(1);
    expect(h.outcomes).toEqual([expect.objectContaining({ kind: 'result', status: 'action_required' })]);
  });
});

describe('values that are no command', () => {
  it.each([
    ['no value', null, 'PS_ERR_COMMAND_MALFORMED'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'PS_ERR_COMMAND_MALFORMED'],
    ['not JSON', '{"orderId": "o-1"', 'PS_ERR_COMMAND_MALFORMED'],
  ])('%s is malformed', async (_what, value, code) => {
    const h = harness();
    expect(await consume(h, value, 'o-1')).toBe(8);
    expect(onlyDlq(h)).toMatchObject({ code });
  });

  it('a value over 64 KiB is too large and its DLQ record stays small, keeping the first 64 KiB with no digit', async () => {
    const h = harness();
    const huge = command({ details: { note: `${CARD} ${'x'.repeat(1024 * 1024)}` } });
    expect(await consume(h, huge, 'o-1')).toBe(8);
    const record = onlyDlq(h);
    expect(record).toMatchObject({
      code: 'PS_ERR_COMMAND_TOO_LARGE',
      payloadBytes: Buffer.byteLength(huge),
      payloadTruncated: true,
      payloadMasked: true,
    });
    expect(Buffer.byteLength(record.text)).toBeLessThanOrEqual(DLQ_MAX_PAYLOAD_BYTES);
    expect(record.text).not.toMatch(/[0-9]/);
    expect(Buffer.byteLength(h.sent[0]?.value ?? '')).toBeLessThan(100 * 1024);
  });

  it('invalid UTF-8 just under the limit still makes a record within 64 KiB', async () => {
    const h = harness();
    expect(await consume(h, Buffer.alloc(DLQ_MAX_PAYLOAD_BYTES, 0xff), 'o-1')).toBe(8);
    const record = onlyDlq(h);
    expect(record).toMatchObject({ code: 'PS_ERR_COMMAND_MALFORMED', payloadMasked: true, payloadTruncated: true });
    expect(Buffer.byteLength(record.text)).toBeLessThanOrEqual(DLQ_MAX_PAYLOAD_BYTES);
  });
});

describe('the Kafka key', () => {
  it('must be the order id', async () => {
    for (const key of ['o-2', null, Buffer.from([0xff])]) {
      const h = harness();
      expect(await consume(h, command(), key)).toBe(8);
      expect(h.calls).toEqual([]);
      expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_KEY_MISMATCH' });
      expect(h.sent.map((r) => r.key)).toEqual(['o-1', 'o-1']);
    }
  });

  it('is scanned for card data like the value, and kept only masked and bounded', async () => {
    const h = harness();
    expect(await consume(h, '{', CARD)).toBe(8);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA' });
    expect(h.sent[0]?.key).toBe('481111******1114');
    const long = harness();
    await consume(long, '{', `${'k'.repeat(10_000)} ${CARD}`);
    expect(long.sent[0]?.key?.length).toBeLessThanOrEqual(256);
  });
});

describe('headers', () => {
  it.each([
    ['correlation-id', { 'correlation-id': '4111 1111 1111 1111' }],
    ['another header', { 'x-note': `card ${CARD}` }],
    ['a repeated header', { 'x-note': ['fine', Buffer.from(CARD)] }],
    ['a header name', { [CARD]: 'x' }],
  ])('holding a card in %s refuse the command, and no card is emitted', async (_where, headers) => {
    const h = harness();
    expect(await consume(h, command(), 'o-1', headers)).toBe(8);
    expect(h.calls).toEqual([]);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA' });
    expect(containsCardNumber(JSON.stringify({ sent: h.sent, outcomes: h.outcomes }))).toBe(false);
    expect(containsCardNumber(onlyDlq(h).text)).toBe(false);
  });

  it('holding a card still reach the order the value names with a rejected event', async () => {
    const h = harness();
    await consume(h, command(), 'o-1', { 'correlation-id': CARD });
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_CARD_DATA' });
    expect(results(h.sent).map((r) => JSON.parse(r.value ?? '{}') as { type?: string; subject?: string })).toMatchObject([
      { type: 'paystream.command.rejected', subject: 'o-1' },
    ]);
  });

  it('never refuse a command for a W3C traceparent whose random ids read as a card, nor pass such ids on', async () => {
    // 16 of its hex digits form a Luhn-valid Visa number: random trace ids do so about once in 4,000.
    const cardLike = '00-3bcdb1f8d0fc4631959930320342d602-20e4f9afd849016e-01';
    expect(containsCardNumber(cardLike)).toBe(true);
    const h = harness();
    await consume(h, command(), 'o-1', { traceparent: cardLike });
    expect(h.calls).toHaveLength(1);
    const traceparent = results(h.sent)[0]?.headers?.['traceparent'] ?? '';
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(containsCardNumber(traceparent)).toBe(false);
  });

  it('pass a W3C traceparent and a short correlation id on to the result, and nothing else', async () => {
    const h = harness();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await consume(h, command(), 'o-1', { traceparent, 'correlation-id': 'req-42', 'x-evil': 'payload' });
    const [result] = results(h.sent);
    expect(result?.headers).toEqual({ 'content-type': 'application/cloudevents+json', traceparent, 'correlation-id': 'req-42' });
    expect(JSON.parse(result?.value ?? '{}')).toMatchObject({ traceparent });
  });

  it.each([
    ['garbage', 'garbage'],
    ['version 01', '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['an all-zero parent id', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'],
    ['uppercase hex', '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01'],
    ['5,000 characters', `00-${'a'.repeat(5_000)}`],
  ])('replace a traceparent of %s by a fresh trace', async (_what, bad) => {
    const h = harness();
    await consume(h, command(), 'o-1', { traceparent: bad });
    const traceparent = results(h.sent)[0]?.headers?.['traceparent'] ?? '';
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(traceparent).not.toBe(bad);
  });

  it.each(['x'.repeat(129), 'line\nbreak', 'caf\u00e9', '\u001b[31mred'])('drop the correlation id %j', async (bad) => {
    const h = harness();
    await consume(h, command(), 'o-1', { 'correlation-id': bad });
    expect(results(h.sent)[0]?.headers).not.toHaveProperty('correlation-id');
    expect(h.outcomes[0]).not.toHaveProperty('correlationId');
  });

  it('of a replayed DLQ record are believed only in their valid form', async () => {
    const h = harness();
    await consume(h, '{', 'o-1', { [DlqHeaders.attempts]: '1e300', [DlqHeaders.firstSeen]: 'x'.repeat(100_000) });
    const record = onlyDlq(h);
    expect(record.attempts).toBe(1);
    expect(Date.parse(record.firstSeen)).toBeGreaterThan(Date.now() - 60_000);
    await consume(h, '{', 'o-1', { [DlqHeaders.attempts]: '2', [DlqHeaders.firstSeen]: '2026-01-02T03:04:05.000Z' });
    expect(h.sent.at(-1)?.headers).toMatchObject({ [DlqHeaders.attempts]: '3', [DlqHeaders.firstSeen]: '2026-01-02T03:04:05.000Z' });
  });
});

describe('input echoed in messages, logs and labels', () => {
  it('is bounded: a 5,000-character method is neither a label nor a message', async () => {
    const h = harness();
    const method = `m${'-a'.repeat(2_500)}`;
    expect(await consume(h, JSON.stringify(commandFields({ method })), 'o-1')).toBe(8);
    const record = onlyDlq(h);
    expect(record.code).toBe('PS_ERR_COMMAND_UNKNOWN_METHOD');
    expect(record.message.length).toBeLessThan(200);
    expect(h.outcomes[0]?.method).toBe('unknown');
    expect(JSON.stringify(h.outcomes).length).toBeLessThan(1_000);
    expect(JSON.stringify(results(h.sent)).length).toBeLessThan(3_000);
  });

  it('is bounded in schema refusals listing thousands of unknown keys', async () => {
    const h = harness();
    const fields = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${String(i)}${'y'.repeat(40)}`, i]));
    await consume(h, JSON.stringify({ ...commandFields(), ...fields }), 'o-1');
    const record = onlyDlq(h);
    expect(record.code).toBe('PS_ERR_COMMAND_INVALID');
    expect(record.message.length).toBeLessThanOrEqual(1024);
    expect(h.sent[0]?.headers?.[DlqHeaders.message]?.length).toBeLessThanOrEqual(1024);
  });

  it('names an order id or command id only in its valid form', async () => {
    const h = harness();
    await consume(h, JSON.stringify({ orderId: 'o'.repeat(5_000), commandId: `${randomUUID()}x`, type: 'nope' }), 'o-1');
    expect(h.outcomes[0]).not.toHaveProperty('orderId');
    expect(h.outcomes[0]).not.toHaveProperty('commandId');
    expect(results(h.sent)).toEqual([]);
  });
});
