// Freshness, signature-before-parse and the replay window of the ingress, with faked collaborators:
// what costs a status inquiry and what does not.
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayWindow } from '../src/ingress/replay-window.ts';
import { fakeIngress, notification, post, type FakeIngress } from './ingress-fakes.ts';

const open: FakeIngress[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.ingress.close()));
});
async function started(): Promise<FakeIngress> {
  const f = await fakeIngress();
  open.push(f);
  return f;
}
const paid = (n: number | string = 1): string => JSON.stringify({ originalPartnerReferenceNo: 'o-1', latestTransactionStatus: '00', n });

describe('ingress freshness and signatures', () => {
  it('refuses an X-TIMESTAMP more than 5 minutes away, or unparseable, with 401 before reading or verifying anything', async () => {
    const f = await started();
    for (const at of [new Date(Date.now() - 3_600_000), new Date(Date.now() - 5 * 60_000 - 5_000), new Date(Date.now() + 6 * 60_000)]) {
      expect(await post(f.ingress.url, notification(paid(), { at }))).toBe(401);
    }
    for (const bad of ['yesterday', '', '2026-13-45T99:99:99+07:00']) {
      const n = notification(paid());
      expect(await post(f.ingress.url, { ...n, headers: { ...n.headers, 'x-timestamp': bad } })).toBe(401);
    }
    expect(f.verified).toEqual([]);
    expect(f.inquiries).toBe(0);
    expect(f.events.map((e) => e.outcome)).toEqual(Array(6).fill('stale'));
    expect(await post(f.ingress.url, notification(paid(), { at: new Date(Date.now() - 4 * 60_000) }))).toBe(200);
  });

  it('verifies the raw bytes before parsing: a mis-signed non-JSON body is 401, a signed one is 400', async () => {
    const f = await started();
    expect(await post(f.ingress.url, notification('{not json', { signature: 'forged' }))).toBe(401);
    expect(await post(f.ingress.url, notification('{not json'))).toBe(400);
    expect(f.verified.map(String)).toEqual(['{not json', '{not json']);
    expect(f.events.map((e) => e.outcome)).toEqual(['rejected', 'malformed']);
  });
});

describe('ingress replay window', () => {
  it('answers the same notification replayed 100 times, one after another, with one inquiry and the same 200', async () => {
    const f = await started();
    const n = notification(paid('seq'));
    for (let i = 0; i < 100; i++) expect(await post(f.ingress.url, n)).toBe(200);
    expect(f.inquiries).toBe(1);
    expect(f.events.filter((e) => e.outcome === 'duplicate')).toHaveLength(99);
  });

  it('lets 100 concurrent copies share one inquiry (single flight)', async () => {
    const f = await started();
    f.mode = 'wait';
    const n = notification(paid('concurrent'));
    const statuses = Promise.all(Array.from({ length: 100 }, () => post(f.ingress.url, n)));
    await expect.poll(() => f.verified.length, { timeout: 10_000 }).toBe(100);
    f.release();
    expect(new Set(await statuses)).toEqual(new Set([200]));
    expect(f.inquiries).toBe(1);
  });

  it('treats a repeated X-EXTERNAL-ID as a duplicate even when re-signed with another timestamp', async () => {
    const f = await started();
    expect(await post(f.ingress.url, notification(paid('a'), { externalId: '1234567890' }))).toBe(200);
    expect(await post(f.ingress.url, notification(paid('b'), { externalId: '1234567890', at: new Date(Date.now() - 60_000) }))).toBe(200);
    expect(f.inquiries).toBe(1);
    expect(await post(f.ingress.url, notification(paid('b'), { externalId: '1234567891' }))).toBe(200);
    expect(f.inquiries).toBe(2);
  });

  it('does not keep a failure: the copy of a notification whose inquiry failed is handled again', async () => {
    const f = await started();
    const n = notification(paid('flaky'));
    f.mode = 'fail';
    expect(await post(f.ingress.url, n)).toBe(503);
    f.mode = 'answer';
    expect(await post(f.ingress.url, n)).toBe(200);
    expect(await post(f.ingress.url, n)).toBe(200);
    expect(f.inquiries).toBe(2);
  });

  it('is bounded in time and in size', async () => {
    let now = 0;
    const window = new ReplayWindow({ windowMs: 1_000, maxEntries: 50, now: () => now });
    let runs = 0;
    const handle = (): Promise<{ status: number; body: unknown }> => (runs++, Promise.resolve({ status: 200, body: {} }));
    for (let i = 0; i < 500; i++) await window.once([`k${String(i)}`], handle);
    expect(window.size).toBe(50);
    expect((await window.once(['k499'], handle)).duplicate).toBe(true);
    expect((await window.once(['k0'], handle)).duplicate).toBe(false);
    now += 1_001;
    expect((await window.once(['k499'], handle)).duplicate).toBe(false);
    expect(runs).toBe(502);
  });
});
