// A plugin is a declaration validated at registration: a mistake is a coded error before the worker
// consumes anything, never a surprise at the first command.
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { CommandType } from '@paystream/contracts';
import { codes, PaystreamError, type ErrorParams, type PluginErrorCode } from '@paystream/core';
import type { Operation, OperationOf, PaymentMethodPlugin } from './contract.ts';

export const PAYMENT_METHOD_PLUGIN: ServiceIdentifier<PaymentMethodPlugin> = Symbol.for('paystream.sdk.PaymentMethodPlugin');

/** The operation a command asks for. */
export const operationOf = <Type extends CommandType>(type: Type): OperationOf<Type> => type.slice('payment.'.length) as OperationOf<Type>;

/** In the order of the contracts' command types: charge, status, cancel, refund, approve, deny. */
export const OPERATIONS: readonly Operation[] = CommandType.options.map(operationOf);

const BRAND = Symbol.for('paystream/PluginError');

/** A plugin declaration refused at registration; a PaystreamError of the catalogue's plugin codes. */
export class PluginError<C extends PluginErrorCode = PluginErrorCode> extends PaystreamError<C> {
  readonly [BRAND] = true;
  constructor(code: C, params: ErrorParams<C>) {
    super(code, params);
    this.name = 'PluginError';
  }
  static override is(value: unknown): value is PluginError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Validates and freezes a plugin declaration. The result is typed for the runtime, which only calls
 * a handler after `details` has parsed the command's details, so the handler's `Details` holds.
 */
export function definePaymentMethod<Details>(plugin: PaymentMethodPlugin<Details>): PaymentMethodPlugin {
  const where = `plugin "${plugin.method}"`;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(plugin.method)) throw new PluginError(codes.PS_ERR_PLUGIN_INVALID_NAME, { where });
  if (plugin.topic !== `paystream.commands.${plugin.method}`)
    throw new PluginError(codes.PS_ERR_PLUGIN_INVALID_TOPIC, { where, method: plugin.method });
  for (const op of Object.keys(plugin.operations)) {
    if (!OPERATIONS.includes(op as Operation)) throw new PluginError(codes.PS_ERR_PLUGIN_UNKNOWN_OPERATION, { where, operation: op });
  }
  if (plugin.customerAuthentication.factors.length < 2) {
    throw new PluginError(codes.PS_ERR_PLUGIN_CUSTOMER_AUTH, { where });
  }
  if (!Number.isInteger(plugin.pendingTimeoutMs) || plugin.pendingTimeoutMs <= 0)
    throw new PluginError(codes.PS_ERR_PLUGIN_PENDING_TIMEOUT, { where });
  return Object.freeze(plugin) as unknown as PaymentMethodPlugin;
}

/** The ContainerModule a plugin package exports: it binds the plugin to the multi-injection token. */
export function pluginModule(plugin: PaymentMethodPlugin): ContainerModule {
  return new ContainerModule((options) => {
    options.bind(PAYMENT_METHOD_PLUGIN).toConstantValue(plugin);
  });
}

/** One plugin per method; a duplicate or an empty set is refused. */
export function pluginRegistry(plugins: readonly PaymentMethodPlugin[]): ReadonlyMap<string, PaymentMethodPlugin> {
  if (plugins.length === 0) throw new PluginError(codes.PS_ERR_PLUGIN_NONE, {});
  const map = new Map<string, PaymentMethodPlugin>();
  for (const p of plugins) {
    if (map.has(p.method)) throw new PluginError(codes.PS_ERR_PLUGIN_DUPLICATE, { method: p.method });
    map.set(p.method, p);
  }
  return map;
}
