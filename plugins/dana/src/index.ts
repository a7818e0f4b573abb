// @paystream/plugin-dana: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { danaPlugin } from './dana.plugin.ts';

export { danaPlugin };
export const danaModule = pluginModule(danaPlugin);
