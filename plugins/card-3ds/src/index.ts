// @paystream/plugin-card-3ds: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { card3dsPlugin } from './card-3ds.plugin.ts';

export { card3dsPlugin };
export const card3dsModule = pluginModule(card3dsPlugin);
