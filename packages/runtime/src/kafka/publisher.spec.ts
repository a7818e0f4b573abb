// Readiness must see an unreachable broker: the idempotent producer retries a lost cluster forever
// instead of throwing, so a produce request that stays unacknowledged is what counts as failing.
import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Publisher } from './publisher.ts';

/** A producer whose requests answer only when told to. */
function heldProducer(): { producer: Producer; answer: (err?: Error) => void; requests: () => number } {
  const pending: ((err?: Error) => void)[] = [];
  let requests = 0;
  const producer = {
    sendBatch: () =>
      new Promise<void>((done, fail) => {
        requests++;
        pending.push((err) => (err ? fail(err) : done()));
      }),
  } as unknown as Producer;
  return { producer, answer: (err) => pending.shift()?.(err), requests: () => requests };
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
};

describe('Publisher.failing', () => {
  it('turns true when a produce request goes unacknowledged past stallMs, and false once it is', async () => {
    let now = 0;
    const { producer, answer, requests } = heldProducer();
    const publisher = new Publisher(producer, { stallMs: 10_000, now: () => now });
    const sent = publisher.send([{ topic: 't', key: 'k', value: 'v' }]);
    await until(() => requests() === 1);
    now = 10_000;
    expect(publisher.failing).toBe(false);
    now = 10_001;
    expect(publisher.failing).toBe(true);
    answer();
    await sent;
    expect(publisher.failing).toBe(false);
  });

  it('stays true after a failed request until one is acknowledged', async () => {
    const { producer, answer, requests } = heldProducer();
    const publisher = new Publisher(producer, { retryBaseMs: 1, retryMaxMs: 1 });
    const sent = publisher.send([{ topic: 't', key: 'k', value: 'v' }]);
    await until(() => requests() === 1);
    answer(new Error('broker gone'));
    await until(() => requests() === 2);
    expect(publisher.failing).toBe(true);
    answer();
    await sent;
    expect(publisher.failing).toBe(false);
  });
});
