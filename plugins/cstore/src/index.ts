// @paystream/plugin-cstore: the plugin declaration and the module the worker loads.
import { pluginModule } from '@paystream/plugin-sdk';
import { cstorePlugin } from './cstore.plugin.ts';

export { cstorePlugin };
export const cstoreModule = pluginModule(cstorePlugin);
