// @paystream/plugin-shopeepay: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { shopeepayPlugin } from './shopeepay.plugin.ts';

export { shopeepayPlugin };
export const shopeepayModule = pluginModule(shopeepayPlugin);
