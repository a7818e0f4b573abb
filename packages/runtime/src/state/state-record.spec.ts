import { describe, expect, it } from 'vitest';
import { MAX_STATE_RECORD_BYTES, readStateRecord } from './state-record.ts';

const read = (value: unknown, key: string | Buffer = 'order-1') =>
  readStateRecord(Buffer.from(key), value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('readStateRecord', () => {
  const runtime = {
    v: 2,
    method: 'va',
    chargeCommandId: 'f3c1a2b4-0d6e-4c8f-9a7b-1e2d3c4b5a69',
    amount: 150_000,
    currency: 'IDR',
    merchant: 'second-shop',
    partition: 4,
    expiresAt: '2026-12-06T10:00:00.000Z',
    status: 'action_required',
    statusAt: '2026-12-05T10:00:00.000Z',
  } as const;
  const va = {
    externalId: 'trx-1',
    partnerServiceId: '   70012',
    customerNo: '123',
    virtualAccountNo: '   70012123',
    trxId: 'trx-1',
    bank: 'bca',
    paymentRequestId: 'p-1',
  };
  const keys = Array.from({ length: 24 }, (_, i) => i.toString(16).padStart(32, '0'));
  const commands = Object.fromEntries(keys.map((k) => [k, 'Zm9vYmFyYmF6cXV4cXV1eA']));

  it('accepts what the runtime and the plugins write, as it is', () => {
    const state = {
      ...runtime,
      references: { ...va, referenceNo: 'r-1', partnerReferenceNo: 'order-1', responseCode: '2002700' },
      commands,
    };
    expect(read(state)).toEqual({ orderId: 'order-1', state });
    expect(read({ v: 2, references: {}, commands: {} })).toEqual({ orderId: 'order-1', state: { v: 2, references: {}, commands: {} } });
    expect(read(null)).toEqual({ orderId: 'order-1', state: null });
  });

  it('upgrades a version 1 record: runtime fields converted, bindings to commands, the rest to references', () => {
    const v1 = {
      method: 'va',
      chargeCommandId: runtime.chargeCommandId,
      amount: '150000',
      merchant: 'second-shop',
      partition: '4',
      expiresAt: runtime.expiresAt,
      status: 'action_required',
      ...va,
      referenceNo: 'r-1',
      ...Object.fromEntries(keys.map((k) => [`cmd_${k}`, 'Zm9vYmFyYmF6cXV4cXV1eA'])),
    };
    const { statusAt: _unknown, ...known } = runtime;
    expect(read(v1)).toEqual({ orderId: 'order-1', state: { ...known, references: { ...va, referenceNo: 'r-1' }, commands } });
    // A reference named `v` was a string in version 1, where every field is one.
    expect(read({ status: 'pending', v: 'x' })).toEqual({
      orderId: 'order-1',
      state: { v: 2, status: 'pending', references: { v: 'x' }, commands: {} },
    });
  });

  it('skips a record of a version newer than it reads, by its own reason', () => {
    expect(read({ v: 3, references: {}, commands: {} })).toEqual({ skip: 'future_version' });
    expect(read({ v: 99, whatever: { nested: true } })).toEqual({ skip: 'future_version' });
    for (const v of [1, 2.5, -3, 0]) expect(read({ v, references: {}, commands: {} })).toEqual({ skip: 'schema' });
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
    expect(read({ cmd_NotAKey: 'x' })).toEqual({ skip: 'schema' });
  });

  it('skips a version 2 record holding what the code never writes', () => {
    const base = { v: 2, references: {}, commands: {} };
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${String(i)}`, 'v']));
    for (const bad of [
      { v: 2 },
      { ...base, references: undefined },
      { ...base, amount: '100' },
      { ...base, amount: 1.5 },
      { ...base, amount: -1 },
      { ...base, currency: 'USD' },
      { ...base, status: 'paid' },
      { ...base, partition: '3' },
      { ...base, method: 'Go Pay' },
      { ...base, statusAt: 'yesterday' },
      { ...base, note: 'a field the runtime never writes' },
      { ...base, references: { 'bad key': 'v' } },
      { ...base, references: { referenceNo: 'x'.repeat(257) } },
      { ...base, references: { nested: { a: '1' } } },
      { ...base, references: many },
      { ...base, commands: { 'not-a-command-key': 'fp' } },
      { ...base, commands: { [keys[0] ?? '']: 'not a fingerprint!' } },
    ])
      expect(read(bad)).toEqual({ skip: 'schema' });
    // A `__proto__` name is never set as a prototype: among the references it is left out, as version 1 did; at the top it is unknown.
    const left = read('{"v":2,"references":{"__proto__":"x"},"commands":{}}');
    expect(left).toEqual({ orderId: 'order-1', state: { v: 2, references: {}, commands: {} } });
    expect('state' in left && left.state && Object.getPrototypeOf(left.state.references)).toBe(Object.prototype);
    expect(read('{"v":2,"__proto__":{"status":"succeeded"},"references":{},"commands":{}}')).toEqual({ skip: 'schema' });
  });
});
