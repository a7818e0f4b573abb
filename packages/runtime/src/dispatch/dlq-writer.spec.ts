// DlqWriter: a refusal is never dropped — its records are retried until written — and it is reported
// once, after they are, with a method label from the closed set.
import { describe, expect, it } from 'vitest';
import { dlqRecords, message, testCrypto, TOPIC } from '../../test/dispatch-fakes.ts';
import type { OutMessage, Publisher } from '../kafka/publisher.ts';
import { DlqWriter } from './dlq-writer.ts';
import type { Outcome, Refusal } from './outcome.ts';

const refusal: Refusal = {
  code: 'PS_ERR_COMMAND_UNSUPPORTED',
  message: 'gopay does not support payment.approve',
  orderId: 'o-1',
  method: 'gopay',
};

function writer(failures: number, plugins: ReadonlyMap<string, unknown> = new Map()) {
  const sent: OutMessage[] = [];
  const outcomes: Outcome[] = [];
  const errors: unknown[] = [];
  let left = failures;
  const publisher = {
    send: (records: readonly OutMessage[]) => {
      if (left-- > 0) return Promise.reject(new Error('the broker is away'));
      sent.push(...records);
      // The outcome is reported only once the records are written.
      expect(outcomes).toEqual([]);
      return Promise.resolve();
    },
  } as unknown as Publisher;
  const deps = {
    crypto: testCrypto().crypto,
    plugins: plugins as never,
    onOutcome: (o: Outcome) => outcomes.push(o),
    onError: (e: unknown) => errors.push(e),
  };
  return { w: new DlqWriter(deps, publisher, { baseMs: 1, maxMs: 2 }), sent, outcomes, errors };
}

describe('DlqWriter', () => {
  it('retries the records until written, reporting each failed write, then reports the refusal once', async () => {
    const t = writer(3);
    await t.w.refuse({ topic: TOPIC, partition: 2, message: message('{}', 'o-1') }, refusal, { correlationId: 'c-1' });
    expect(t.errors).toHaveLength(3);
    expect(dlqRecords(t.sent)).toEqual([expect.objectContaining({ code: 'PS_ERR_COMMAND_UNSUPPORTED', originalPartition: 2 })]);
    expect(t.sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`, 'paystream.results']);
    expect(t.outcomes).toEqual([
      expect.objectContaining({
        kind: 'refused',
        code: 'PS_ERR_COMMAND_UNSUPPORTED',
        method: 'unknown',
        orderId: 'o-1',
        correlationId: 'c-1',
      }),
    ]);
  });

  it('labels the refusal with its method only when a plugin of this worker has it', async () => {
    const t = writer(0, new Map([['gopay', {}]]));
    await t.w.refuse({ topic: TOPIC, partition: 0, message: message('{}', 'o-1') }, refusal, {});
    expect(t.outcomes[0]?.method).toBe('gopay');
  });

  it('writes no rejected event for a refusal that names no order', async () => {
    const t = writer(0);
    await t.w.refuse(
      { topic: TOPIC, partition: 0, message: message(null, null) },
      { code: 'PS_ERR_COMMAND_MALFORMED', message: 'no value' },
      {},
    );
    expect(t.sent.map((r) => r.topic)).toEqual([`${TOPIC}.dlq`]);
  });
});
