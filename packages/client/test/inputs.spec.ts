import { describe, expect, it } from 'vitest';
import { buildCommand, codes, PaystreamClientError, type ChargeInput } from '../src/index.ts';

function thrown(f: () => unknown): PaystreamClientError {
  try {
    f();
  } catch (err) {
    if (err instanceof PaystreamClientError) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

describe('buildCommand', () => {
  it('builds a charge command from typed input, with a new commandId and the details as given', () => {
    const c = buildCommand('charge', { method: 'va', orderId: 'order-1', amount: 150_000, details: { bank: 'bca' } });
    expect(c).toMatchObject({
      type: 'payment.charge',
      method: 'va',
      orderId: 'order-1',
      amount: { value: 150_000, currency: 'IDR' },
      details: { bank: 'bca' },
    });
    expect(c.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(buildCommand('charge', { method: 'va', orderId: 'order-1', amount: 1, details: { bank: 'bca' } }).commandId).not.toBe(
      c.commandId,
    );
  });

  it('keeps a commandId it is given, so that a retried command is the same command', () => {
    const commandId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    expect(buildCommand('refund', { method: 'gopay', orderId: 'o', amount: 5_000, commandId }).commandId).toBe(commandId);
  });

  it('names every problem of an invalid charge, details and command fields alike', () => {
    const input = { method: 'va', orderId: 'bad id!', amount: -5, details: { bank: 'nowhere', extra: 1 } } as unknown as ChargeInput;
    const e = thrown(() => buildCommand('charge', input));
    expect(e.code).toBe(codes.PS_ERR_CLIENT_INVALID_INPUT);
    expect(e.errorClass).toBe('invalid');
    expect(e.problems.map((p) => p.path).sort()).toEqual(['amount.value', 'details', 'details.bank', 'orderId']);
    expect(e.message).toContain('the payment.charge command for va is invalid: ');
  });

  it('refuses https-less return URLs as the GoPay plugin does', () => {
    const e = thrown(() =>
      buildCommand('charge', { method: 'gopay', orderId: 'o', amount: 1, details: { returnUrl: 'http://shop.example/back' } }),
    );
    expect(e.problems.map((p) => p.path)).toEqual(['details.returnUrl']);
  });

  it('refuses a method it does not know and a command the method does not support', () => {
    const unknown = thrown(() => buildCommand('status', { method: 'teleport' as never, orderId: 'o', amount: 1 }));
    expect(unknown.code).toBe(codes.PS_ERR_CLIENT_UNKNOWN_METHOD);
    expect(unknown.message).toContain('known: card-3ds, cstore');
    const unsupported = thrown(() => buildCommand('approve', { method: 'gopay', orderId: 'o', amount: 1 }));
    expect(unsupported.problems).toEqual([{ path: 'type', message: 'gopay supports cancel, charge, refund, status' }]);
  });

  it('sends later commands with empty details: the order state holds what the charge needed', () => {
    expect(buildCommand('cancel', { method: 'card-3ds', orderId: 'o', amount: 1 }).details).toEqual({});
  });
});
