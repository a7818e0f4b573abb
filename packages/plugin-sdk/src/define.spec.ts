import { Container } from 'inversify';
import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Operation, PaymentMethodPlugin } from './contract.ts';
import {
  definePaymentMethod,
  OPERATIONS,
  operationOf,
  PAYMENT_METHOD_PLUGIN,
  PluginError,
  pluginModule,
  pluginRegistry,
} from './define.ts';

const base: PaymentMethodPlugin<Record<string, never>> = {
  method: 'ovo',
  topic: 'paystream.commands.ovo',
  api: 'snap',
  details: z.strictObject({}),
  customerAuthentication: { description: 'Customer authenticates within the OVO app', factors: ['PIN', 'device possession'] },
  operations: { status: () => Promise.resolve({ status: 'pending', references: {} }) },
  notifications: { snapPaths: ['/v1.0/debit/notify'], orderIdOf: () => undefined },
  pendingTimeoutMs: 900_000,
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (PluginError.is(err)) return err.code;
    throw err;
  }
  return 'none';
}

describe('definePaymentMethod', () => {
  it('accepts a valid declaration and freezes it', () => {
    expect(Object.isFrozen(definePaymentMethod({ ...base }))).toBe(true);
  });

  it.each([
    ['a name that is not kebab-case', { method: 'OVO' }, 'PS_ERR_PLUGIN_INVALID_NAME'],
    ['a topic that does not follow the naming', { topic: 'ovo-commands' }, 'PS_ERR_PLUGIN_INVALID_TOPIC'],
    ['an unknown operation', { operations: { ...base.operations, teleport: base.operations.status } }, 'PS_ERR_PLUGIN_UNKNOWN_OPERATION'],
    [
      'single-factor customer authentication',
      { customerAuthentication: { description: 'x', factors: ['PIN'] } },
      'PS_ERR_PLUGIN_CUSTOMER_AUTH',
    ],
    ['a non-positive pending timeout', { pendingTimeoutMs: 0 }, 'PS_ERR_PLUGIN_PENDING_TIMEOUT'],
  ])('refuses %s with a coded error', (_n, change, expected) => {
    expect(code(() => definePaymentMethod({ ...base, ...change }))).toBe(expected);
  });
});

describe('operations', () => {
  it('are the command types of the contracts without their prefix, in their order', () => {
    expectTypeOf<Operation>().toEqualTypeOf<'charge' | 'status' | 'cancel' | 'refund' | 'approve' | 'deny'>();
    expect(OPERATIONS).toEqual(['charge', 'status', 'cancel', 'refund', 'approve', 'deny']);
    expect(operationOf('payment.approve')).toBe('approve');
  });
});

describe('registration', () => {
  it('binds plugins to the multi-injection token and refuses duplicates and an empty set', () => {
    const container = new Container();
    container.load(
      pluginModule(definePaymentMethod({ ...base })),
      pluginModule(definePaymentMethod({ ...base, method: 'linkaja', topic: 'paystream.commands.linkaja' })),
    );
    const plugins = container.getAll(PAYMENT_METHOD_PLUGIN);
    expect([...pluginRegistry(plugins).keys()]).toEqual(['ovo', 'linkaja']);
    expect(code(() => pluginRegistry([...plugins, plugins[0]!]))).toBe('PS_ERR_PLUGIN_DUPLICATE');
    expect(code(() => pluginRegistry([]))).toBe('PS_ERR_PLUGIN_NONE');
  });
});
