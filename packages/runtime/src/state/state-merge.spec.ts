import { randomUUID } from 'node:crypto';
import { PaymentStatus } from '@paystream/contracts';
import { describe, expect, it } from 'vitest';
import { emptyOrderState, type OrderState } from './order-state.ts';
import { commandBindingField, commandKey, mergeState, newReferences, referencesOf, same } from './state-merge.ts';
import { mayFollow } from './transitions.ts';

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
const charged: OrderState = mergeState(undefined, {
  method: 'gopay',
  chargeCommandId: 'c-1',
  amount: 150_000,
  currency: 'IDR',
  partition: 2,
  status: 'action_required',
  statusAt: at(0),
  references: { referenceNo: 'ref-1', externalId: 'ext-1' },
  commands: { [commandKey('c1c1c1c1-0000-4000-8000-000000000001')]: 'fp-charge' },
});

describe('mergeState', () => {
  it('moves the status only forward, for every pair of statuses, and its time with it', () => {
    for (const from of PaymentStatus.options)
      for (const to of PaymentStatus.options) {
        const merged = mergeState({ ...charged, status: from, statusAt: at(1) }, { status: to, statusAt: at(2) });
        const moved = from !== to && mayFollow(from, to);
        expect([merged.status, merged.statusAt]).toEqual(moved ? [to, at(2)] : [from, at(1)]);
      }
  });

  it('accumulates references and commands, and takes the newer value of a runtime field', () => {
    const merged = mergeState(charged, {
      references: { referenceNo: 'ref-2', transactionId: 't-1' },
      commands: { [commandKey('c2c2c2c2-0000-4000-8000-000000000002')]: 'fp-refund' },
      expiresAt: at(30),
    });
    expect(merged).toEqual({
      ...charged,
      expiresAt: at(30),
      references: { referenceNo: 'ref-2', externalId: 'ext-1', transactionId: 't-1' },
      commands: { ...charged.commands, c2c2c2c2000040008000000000000002: 'fp-refund' },
    });
  });

  it('keeps a reference named like a runtime field among the references', () => {
    const merged = mergeState(charged, { references: { amount: '1', status: 'refunded', method: 'qris', partition: '9' } });
    expect(merged).toMatchObject({ amount: 150_000, status: 'action_required', method: 'gopay', partition: 2 });
    expect(merged.references).toMatchObject({ amount: '1', status: 'refunded', method: 'qris', partition: '9' });
  });

  it('changes nothing for the same status again, later: no record is written for it', () => {
    expect(same(charged, mergeState(charged, { status: 'action_required', statusAt: at(5), references: { referenceNo: 'ref-1' } }))).toBe(
      true,
    );
    expect(same(charged, mergeState(charged, { references: { referenceNo: 'ref-9' } }))).toBe(false);
    expect(same(charged, mergeState(charged, { amount: 1 }))).toBe(false);
  });

  it('starts an order from nothing with what the change brings, and only that', () => {
    expect(mergeState(undefined, {})).toEqual(emptyOrderState());
    expect(mergeState(undefined, { status: 'pending' })).toEqual({ v: 2, status: 'pending', references: {}, commands: {} });
  });
});

describe('the index of an order', () => {
  it('holds its lookup references and its bound commandIds, never its own order id', () => {
    const commandId = randomUUID();
    const next = mergeState(charged, {
      references: { partnerReferenceNo: 'o-1', externalId: 'ext-2', vaNumber: '123' },
      commands: { [commandKey(commandId)]: 'fp' },
    });
    expect(newReferences('o-1', charged, next)).toEqual(['ext-2', commandBindingField(commandId)]);
    expect(referencesOf(next).sort()).toEqual(
      ['cmd_c1c1c1c1000040008000000000000001', commandBindingField(commandId), 'ext-2', 'o-1', 'ref-1'].sort(),
    );
    expect(newReferences('o-1', undefined, charged)).toEqual(['ref-1', 'ext-1', 'cmd_c1c1c1c1000040008000000000000001']);
  });

  it('names a commandId one way however the UUID is written', () => {
    const commandId = randomUUID();
    expect(commandBindingField(commandId.toUpperCase())).toBe(commandBindingField(commandId));
    expect(commandKey(commandId)).toMatch(/^[0-9a-f]{32}$/);
  });
});
