// @paystream/plugin-qris: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { qrisPlugin } from './qris.plugin.ts';

export { qrisPlugin };
export const qrisModule = pluginModule(qrisPlugin);
