// @paystream/plugin-gopay: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { gopayPlugin } from './gopay.plugin.ts';

export { gopayPlugin };
export const gopayModule = pluginModule(gopayPlugin);
