// The one list of payment-method plugins the worker loads. Keep it sorted; a new plugin adds one line.
import type { ContainerModule } from 'inversify';
import { card3dsModule } from '@paystream/plugin-card-3ds';
import { cstoreModule } from '@paystream/plugin-cstore';
import { danaModule } from '@paystream/plugin-dana';
import { gopayModule } from '@paystream/plugin-gopay';
import { payLaterModule } from '@paystream/plugin-pay-later';
import { qrisModule } from '@paystream/plugin-qris';
import { shopeepayModule } from '@paystream/plugin-shopeepay';
import { vaModule } from '@paystream/plugin-va';

export const pluginModules: Readonly<Record<string, ContainerModule>> = {
  'card-3ds': card3dsModule,
  cstore: cstoreModule,
  dana: danaModule,
  gopay: gopayModule,
  'pay-later': payLaterModule,
  qris: qrisModule,
  shopeepay: shopeepayModule,
  va: vaModule,
};
