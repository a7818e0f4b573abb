// Slowloris against a running worker's HTTPS ingress: 500 connections that complete TLS, send the
// start of a request and then nothing, while a signed notification of a real order still gets its
// 200 within 2 s; and 300 more from one address, of which the per-client cap holds only its share.
//
// The caps: at most 256 connections per client address (DEFAULT_INGRESS_LIMITS), 1,024 in all. The
// 500 come from 127.0.0.2–127.0.0.9 (63 each, under the per-address cap, so the ingress really holds
// all 500 open), the legitimate client from 127.0.0.1, which has its own allowance; the extra 300 from
// 127.0.0.10 show one address cannot take more than 256 slots. Held for a few seconds only: the header
// timeout (10 s) would otherwise close them, which packages/runtime/test/ingress-limits.spec.ts shows.
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type {} from '@paystream/kafka-broker/global-setup';
import { DEFAULT_INGRESS_LIMITS } from '@paystream/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkerFixture, type WorkerFixture } from '../fixtures/worker.ts';
import { signSnap } from '../properties/notary.ts';
import { DEBIT_NOTIFY, paidOrder, post, slowClient } from './clients.ts';

let f: WorkerFixture;
let orderId: string;
const slow: { socket: TLSSocket; open: () => boolean }[] = [];

beforeAll(async () => {
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay'] });
  orderId = await paidOrder(f, 75_000);
});
afterAll(async () => {
  for (const c of slow.splice(0)) c.socket.destroy();
  await f.stop();
});

/** Opens `count` slow connections from `address`, 25 handshakes at a time; those the server refuses count as not open. */
async function holdOpen(address: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(25, count - i) }, () => slowClient(f, address)));
    for (const r of batch) if (r.status === 'fulfilled') slow.push(r.value);
  }
}

describe('slowloris', () => {
  it('500 connections trickling their headers do not keep a signed notification from its answer within 2 s', async () => {
    const spread = Array.from({ length: 8 }, (_, i) => `127.0.0.${String(i + 2)}`);
    await Promise.all(spread.map((address, i) => holdOpen(address, i < 4 ? 63 : 62)));
    // Each keeps sending a header line now and then, never the end of its headers.
    const drip = setInterval(() => {
      for (const c of slow) if (c.open()) c.socket.write(`X-Slow-${randomUUID().slice(0, 4)}: 1\r\n`);
    }, 1_000);
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      expect(slow.filter((c) => c.open())).toHaveLength(500);

      const body = JSON.stringify({
        originalPartnerReferenceNo: orderId,
        latestTransactionStatus: '00',
        amount: { value: '75000.00', currency: 'IDR' },
        n: randomUUID(),
      });
      const started = performance.now();
      const answer = await post(f, signSnap(f.notaryKey, DEBIT_NOTIFY, body));
      expect(answer.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(slow.filter((c) => c.open())).toHaveLength(500);
    } finally {
      clearInterval(drip);
    }
  });

  it('one address holds no more than its per-client share, and the others are still served', async () => {
    const before = slow.length;
    await holdOpen('127.0.0.10', DEFAULT_INGRESS_LIMITS.maxConnectionsPerClient + 44);
    await new Promise((r) => setTimeout(r, 500));
    const fromOne = slow.slice(before).filter((c) => c.open()).length;
    expect(fromOne).toBe(DEFAULT_INGRESS_LIMITS.maxConnectionsPerClient);
    const body = JSON.stringify({
      originalPartnerReferenceNo: orderId,
      latestTransactionStatus: '00',
      amount: { value: '75000.00', currency: 'IDR' },
      n: randomUUID(),
    });
    expect((await post(f, signSnap(f.notaryKey, DEBIT_NOTIFY, body))).status).toBe(200);
  });
});
