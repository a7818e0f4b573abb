// The chosen plugins' modules (plugins.ts lists them all), each binding its declaration under
// PAYMENT_METHOD_PLUGIN: loaded into the worker's container, or into one of their own for the CLI.
import { codes } from '@paystream/core';
import { PluginError } from '@paystream/plugin-sdk';
import { Container } from 'inversify';
import { pluginModules } from './plugins.ts';

/** Loads the modules of these plugins into the container; all of them when no names are given. */
export function loadPlugins(container: Container, names: readonly string[] | undefined): void {
  const chosen = names ?? Object.keys(pluginModules);
  const unknown = chosen.filter((n) => !Object.hasOwn(pluginModules, n));
  if (unknown.length > 0)
    throw new PluginError(codes.PS_ERR_PLUGIN_UNKNOWN, { unknown: unknown.join(', '), available: Object.keys(pluginModules).join(', ') });
  container.load(...chosen.map((n) => pluginModules[n] as NonNullable<(typeof pluginModules)[string]>));
}

/** A container holding these plugins; all of them when no names are given. */
export function selectPlugins(names: readonly string[] | undefined): Container {
  const container = new Container();
  loadPlugins(container, names);
  return container;
}
