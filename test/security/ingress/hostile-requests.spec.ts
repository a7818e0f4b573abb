// The notification ingress of a running worker (HTTPS, the simulator as Midtrans) against requests
// meant to wear it down: a 10 MB body, a notification an hour old, one notification replayed 100
// times one after another and 100 times at once. What the worker read is taken from its own log line
// (the bytes read from the connection it refused); what reached Midtrans, from the simulator's log.
import { Writable } from 'node:stream';
import type {} from '@paystream/kafka-broker/global-setup';
import { MAX_BODY_BYTES } from '@paystream/runtime';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkerFixture, type WorkerFixture } from '../fixtures/worker.ts';
import { signSnap } from '../properties/notary.ts';
import { DEBIT_NOTIFY, endlessUpload, inquiries, paidOrder, post } from './clients.ts';

const TEN_MB = 10 * 1024 * 1024;
/** What the server reads besides the body: the TLS handshake (about 0.5 KiB), the headers, record framing. */
const TLS_OVERHEAD = 2 * 1024;
let f: WorkerFixture;
let orderId: string;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const logTo = new Writable({
    write: (chunk: Buffer, _e, done) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  f = await startWorkerFixture({ brokers: inject('kafkaBrokers'), plugins: ['gopay'], logTo, logLevel: 'info' });
  orderId = await paidOrder(f, 120_000);
});
afterAll(async () => {
  await f.stop();
});

/** A notification about the order, unique by `note`, signed with a key the worker trusts. */
const about = (note: string, at?: Date) =>
  signSnap(
    f.notaryKey,
    DEBIT_NOTIFY,
    JSON.stringify({
      originalPartnerReferenceNo: orderId,
      latestTransactionStatus: '00',
      amount: { value: '120000.00', currency: 'IDR' },
      note,
    }),
    at,
  );
const refusedReads = (): number[] => lines.filter((l) => l['outcome'] === 'too-large').map((l) => Number(l['bytesRead']));

describe('a 10 MB body', () => {
  it.each([
    ['with its Content-Length declared', false],
    ['sent chunked, its size unknown', true],
  ] as const)('is cut off after at most 64 KiB read, %s', async (_how, chunked) => {
    const before = refusedReads().length;
    const upload = await endlessUpload(f, about('large').headers, TEN_MB, chunked);
    // The client saw the connection end before it could hand over the body.
    expect(upload.ended).toBe(true);
    expect(upload.handedOver).toBeLessThan(TEN_MB);
    await expect.poll(() => refusedReads().length, { timeout: 5_000 }).toBe(before + 1);
    const read = refusedReads().at(-1) ?? Infinity;
    // Declared: refused on its headers, so no more than the first read from the socket (64 KiB, headers
    // included). Chunked: cut at the TLS record (16 KiB) that crosses 64 KiB of body; the socket read
    // that brought it (up to 64 KiB more, read by the event loop before the parser saw any of it) counts too.
    expect(read).toBeLessThanOrEqual(chunked ? MAX_BODY_BYTES + 64 * 1024 + TLS_OVERHEAD : MAX_BODY_BYTES + TLS_OVERHEAD);
  });
});

describe('a notification signed an hour ago', () => {
  it('gets 401 and causes no Midtrans call', async () => {
    const asked = inquiries(f.sim);
    const stale = about('stale', new Date(Date.now() - 3_600_000));
    expect((await post(f, stale)).status).toBe(401);
    expect((await post(f, about('fresh twin of the stale one'))).status).toBe(200);
    // The fresh control was asked about once; the stale one never.
    expect(inquiries(f.sim)).toBe(asked + 1);
    expect(lines.some((l) => l['outcome'] === 'stale')).toBe(true);
  });
});

describe('one notification replayed 100 times', () => {
  it('one after another: exactly one inquiry, the same 200 every time', async () => {
    const asked = inquiries(f.sim);
    const n = about('replayed in sequence');
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: f.pki.caPem });
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await post(f, n, agent));
    agent.destroy();
    expect(new Set(answers.map((a) => `${String(a.status)} ${a.body}`)).size).toBe(1);
    expect(answers[0]?.status).toBe(200);
    expect(inquiries(f.sim)).toBe(asked + 1);
  });

  it('all at once: exactly one inquiry (single flight), the same 200 to every copy', async () => {
    const asked = inquiries(f.sim);
    const n = about('replayed concurrently');
    const agent = new Agent({ keepAlive: true, maxSockets: 100, ca: f.pki.caPem });
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(f, n, agent)));
    agent.destroy();
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(inquiries(f.sim)).toBe(asked + 1);
  });
});
