// The worker's container: the modules of the chosen plugins (plugins.ts lists them all), each binding
// its declaration under PAYMENT_METHOD_PLUGIN, resolved here and by the CLI's commands.
import { Container } from 'inversify';
import { PAYMENT_METHOD_PLUGIN, pluginRegistry, type PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { pluginModules } from './plugins.ts';

/** A container holding these plugins; all of them when no names are given. */
export function selectPlugins(names: readonly string[] | undefined): Container {
  const chosen = names ?? Object.keys(pluginModules);
  const unknown = chosen.filter((n) => !Object.hasOwn(pluginModules, n));
  if (unknown.length > 0) throw new Error(`unknown plugin(s): ${unknown.join(', ')}; available: ${Object.keys(pluginModules).join(', ')}`);
  const container = new Container();
  container.load(...chosen.map((n) => pluginModules[n] as NonNullable<(typeof pluginModules)[string]>));
  return container;
}

/** The chosen plugins, resolved from their container and checked together (one method each). */
export function resolvePlugins(names: readonly string[] | undefined): PaymentMethodPlugin[] {
  return [...pluginRegistry(selectPlugins(names).getAll(PAYMENT_METHOD_PLUGIN)).values()];
}
