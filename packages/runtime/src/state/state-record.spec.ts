import { describe, expect, it } from 'vitest';
import { MAX_STATE_RECORD_BYTES, readStateRecord } from './state-record.ts';

const read = (value: unknown, key: string | Buffer = 'order-1') =>
  readStateRecord(Buffer.from(key), value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('readStateRecord', () => {
  it('accepts what the runtime and the plugins write', () => {
    const charge = {
      method: 'va',
      chargeCommandId: 'f3c1a2b4-0d6e-4c8f-9a7b-1e2d3c4b5a69',
      amount: '150000',
      merchant: 'second-shop',
      partition: '4',
      expiresAt: '2026-12-06T10:00:00.000Z',
      status: 'action_required',
    };
    const va = {
      externalId: 'trx-1',
      partnerServiceId: '   70012',
      customerNo: '123',
      virtualAccountNo: '   70012123',
      trxId: 'trx-1',
      bank: 'bca',
      paymentRequestId: 'p-1',
    };
    expect(read({ ...charge, ...va, referenceNo: 'r-1', partnerReferenceNo: 'order-1', responseCode: '2002700' })).toEqual({
      orderId: 'order-1',
      state: { ...charge, ...va, referenceNo: 'r-1', partnerReferenceNo: 'order-1', responseCode: '2002700' },
    });
    const bindings = Object.fromEntries(
      Array.from({ length: 24 }, (_, i) => [`cmd_${i.toString(16).padStart(32, '0')}`, 'Zm9vYmFyYmF6cXV4cXV1eA']),
    );
    expect(read({ ...charge, ...va, ...bindings })).toEqual({ orderId: 'order-1', state: { ...charge, ...va, ...bindings } });
    expect(read(null)).toEqual({ orderId: 'order-1', state: null });
  });

  it('skips, by reason, whatever the code never writes', () => {
    expect(read('{"status":"pending"', 'order-1')).toEqual({ skip: 'not_json' });
    expect(read({ status: 'pending' }, Buffer.from([0xc3, 0x28]))).toEqual({ skip: 'key' });
    expect(read({ status: 'pending' }, 'x'.repeat(51))).toEqual({ skip: 'key' });
    expect(read({ status: 'pending', note: 'x'.repeat(MAX_STATE_RECORD_BYTES) })).toEqual({ skip: 'oversize' });
    for (const bad of [
      [],
      '"text"',
      42,
      true,
      { status: 'paid' },
      { amount: '-1' },
      { amount: 100 },
      { method: 'Go Pay' },
      { partition: 'p' },
      { expiresAt: 'tomorrow' },
      { nested: { a: '1' } },
      { 'bad key': 'v' },
      { long: 'x'.repeat(1025) },
    ]) {
      expect(read(bad)).toEqual({ skip: 'schema' });
    }
    expect(read(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${String(i)}`, 'v'])))).toEqual({ skip: 'schema' });
  });
});
