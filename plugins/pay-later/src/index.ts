// @paystream/plugin-pay-later: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { payLaterPlugin } from './pay-later.plugin.ts';

export { payLaterPlugin };
export const payLaterModule = pluginModule(payLaterPlugin);
