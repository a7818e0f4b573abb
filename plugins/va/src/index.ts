// @paystream/plugin-va: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { vaPlugin } from './va.plugin.ts';

export { vaPlugin };
export const vaModule = pluginModule(vaPlugin);
