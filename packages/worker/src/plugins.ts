// The one list of payment-method plugins the worker loads. Keep it sorted; a new plugin adds one line.
import type { ContainerModule } from 'inversify';
import { card3dsModule } from '@paystream/plugin-card-3ds';
import { danaModule } from '@paystream/plugin-dana';
import { gopayModule } from '@paystream/plugin-gopay';
import { qrisModule } from '@paystream/plugin-qris';
import { shopeepayModule } from '@paystream/plugin-shopeepay';
import { vaModule } from '@paystream/plugin-va';

export const pluginModules: Readonly<Record<string, ContainerModule>> = {
  'card-3ds': card3dsModule,
  dana: danaModule,
  gopay: gopayModule,
  qris: qrisModule,
  shopeepay: shopeepayModule,
  va: vaModule,
};
