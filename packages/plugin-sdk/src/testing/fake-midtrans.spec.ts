// The fake Midtrans of plugin tests answers as the real client does: what a plugin reads of an answer
// (the SNAP responseCode, the Core API status_code, a refusal, a throw) is what it reads in production.
import { MidtransError } from '@paystream/core';
import { describe, expect, it } from 'vitest';
import { answered, fakeMidtrans } from './contract-suite.ts';

const snap = { method: 'POST', path: '/v1.0/debit/payment-host-to-host', body: {}, externalId: 'x-1' } as const;
const core = { method: 'POST', path: '/v2/charge', body: {}, idempotencyKey: 'k-1' } as const;

describe('the fake Midtrans of plugin tests', () => {
  it("gives a SNAP answer's responseCode, parsed, and a Core API answer's status_code", async () => {
    const midtrans = fakeMidtrans((call) =>
      call.path === '/v2/charge' ? { status_code: '201', transaction_id: 't-1' } : { responseCode: '2005400' },
    );
    const s = await midtrans.snap(snap);
    expect(s).toMatchObject({ ok: true, httpStatus: 200, responseCode: { raw: '2005400', http: 200, service: '54', case: '00' } });
    expect(await midtrans.coreApi(core)).toMatchObject({ ok: true, httpStatus: 200, statusCode: '201', body: { transaction_id: 't-1' } });
    expect(midtrans.calls).toHaveLength(2);
  });

  it('gives a refusal with its HTTP status as the refusal the client gives', async () => {
    const midtrans = fakeMidtrans(() => answered(404, { responseCode: '4045401', responseMessage: 'Transaction Not Found' }));
    expect(await midtrans.snap(snap)).toMatchObject({ ok: false, kind: 'not-found', httpStatus: 404, message: 'Transaction Not Found' });
  });

  it('throws what the client throws for an auth failure and for a transient answer', async () => {
    const refused = fakeMidtrans(() => answered(401, { responseCode: '4015400', responseMessage: 'Unauthorized' }));
    await expect(refused.snap(snap)).rejects.toMatchObject({ kind: 'auth' });
    const down = fakeMidtrans(() => answered(503, { status_code: '503' }));
    const err = await down.coreApi(core).catch((e: unknown) => e);
    expect(MidtransError.is(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'ambiguous', outcomeUnknown: true, httpStatus: 503 });
  });
});
