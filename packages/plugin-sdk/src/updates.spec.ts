import { describe, expect, it } from 'vitest';
import { accepted, refused } from '../test/operation-context.ts';
import { answerUpdate, inquiryRefusalUpdate, refusalUpdate } from './updates.ts';

const known = { referenceNo: 'A1' };

describe('updates', () => {
  it('carries the status, the references, the BI-SNAP responseCode or the Core API status_code, and the facts given', () => {
    expect(answerUpdate(accepted({}, '2005400'), 'succeeded', known, { amount: 45_000, currency: 'IDR' })).toEqual({
      status: 'succeeded',
      references: known,
      responseCode: '2005400',
      amount: 45_000,
      currency: 'IDR',
    });
    expect(answerUpdate({ ok: true, httpStatus: 201, statusCode: '201', body: {} }, 'pending', {})).toEqual({
      status: 'pending',
      references: {},
      responseCode: '201',
    });
    expect(answerUpdate({ ok: true, httpStatus: 200, body: {} }, 'canceled', known)).toEqual({ status: 'canceled', references: known });
  });

  it.each([
    ['business', 'failed'],
    ['invalid', 'failed'],
    ['not-found', 'failed'],
    ['conflict', 'pending'],
  ] as const)('fails a %s refusal unless only an inquiry can tell (%s), with Midtrans message', (kind, status) => {
    expect(refusalUpdate(refused(kind, 'No', '4035401'), known)).toEqual({
      status,
      references: known,
      responseCode: '4035401',
      reason: 'No',
    });
  });

  it('lets a plugin name the refusals that say nothing about the payment', () => {
    expect(refusalUpdate(refused('not-found', 'Unknown'), known, ['conflict', 'not-found']).status).toBe('pending');
    expect(refusalUpdate(refused('conflict', 'Duplicate'), known, []).status).toBe('failed');
  });

  it('leaves a payment pending when its inquiry is refused, whatever the kind', () => {
    for (const kind of ['business', 'invalid', 'conflict', 'not-found'] as const)
      expect(inquiryRefusalUpdate(refused(kind, 'Not now'), known)).toEqual({
        status: 'pending',
        references: known,
        responseCode: '4045401',
        reason: 'Not now',
      });
  });
});
